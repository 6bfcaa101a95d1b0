using System.Threading.Channels;
using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Numeric fields of JSON payloads on an MQTT topic (Zigbee2MQTT, Tasmota, ESPHome...), by simple paths such as
/// <c>temperature</c> or <c>sensors.0.value</c>, through the link's <see cref="IMessageSubscriptions"/>. Parsing
/// happens in the handler with <see cref="System.Text.Json.Utf8JsonReader"/>, without allocating; the handler never
/// blocks the link: when the pipeline is behind, samples are dropped and counted.
/// </summary>
public sealed class MqttSource : SampleSource
{
    private readonly MqttSourceOptions _options;
    private readonly IMessageSubscriptions _subscriptions;
    private readonly JsonFieldExtractor _extractor;
    private readonly double[] _values;
    private readonly long[] _ticks;
    private readonly Lock _lock = new();
    private readonly ArrivalClock _clock;
    private readonly int _fields;
    private ChannelWriter<Sample>? _writer;

    public MqttSource(SourceContext context, MqttSourceOptions options, IMessageSubscriptions subscriptions, TimeProvider? time = null)
        : base(context)
    {
        _options = options;
        _subscriptions = subscriptions;
        _clock = new ArrivalClock(time);
        _fields = context.Channels.Count;
        var paths = context.Channels.Select(c => c.EffectiveField).ToList();
        if (options.TimestampField.Length > 0)
        {
            paths.Add(options.TimestampField);
        }

        _extractor = new JsonFieldExtractor(paths);
        _values = new double[paths.Count];
        _ticks = new long[paths.Count];
    }

    public override async Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        _writer = writer;
        using var subscription = _subscriptions.Subscribe(_options.Topic, OnMessage, _options.MaxPayloadBytes);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The subscription handler: one payload in, up to one sample per channel out.</summary>
    internal void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
        var writer = _writer;
        if (writer is null)
        {
            return;
        }

        if (payload.Length > _options.MaxPayloadBytes)
        {
            Context.Reject(BadInput.OversizedPayload, $"a {payload.Length}-byte payload on {topic}");
            return;
        }

        lock (_lock)
        {
            if (!_extractor.TryExtract(payload, _values, _ticks, out var found, out var nonNumeric))
            {
                Context.Reject(BadInput.MalformedLine, $"a payload on {topic} that is not JSON");
                return;
            }

            var ticks = _clock.UtcTicks();
            if (_options.TimestampField.Length > 0)
            {
                var bit = 1UL << _fields;
                ticks = (found & bit) == 0 ? 0 : _ticks[_fields] != 0 ? _ticks[_fields] : TimestampParser.FromUnixSeconds(_values[_fields]);
                if (ticks == 0)
                {
                    Context.Reject((found & bit) == 0 && (nonNumeric & bit) == 0 ? BadInput.MissingField : BadInput.BadTimestamp, $"no usable '{_options.TimestampField}' on {topic}");
                    return;
                }

                if (!Context.IsPlausible(ticks))
                {
                    return;
                }
            }

            for (var c = 0; c < _fields; c++)
            {
                var bit = 1UL << c;
                if ((found & bit) == 0 || _ticks[c] != 0)
                {
                    Context.Reject((nonNumeric & bit) != 0 || (found & bit) != 0 ? BadInput.NonNumeric : BadInput.MissingField,
                        $"no number at '{Context.Channels[c].EffectiveField}' on {topic}");
                    continue;
                }

                if (Context.TryAccept(c, ticks, _values[c], out var sample) && !writer.TryWrite(sample))
                {
                    Context.Reject(BadInput.QueueFull, "the pipeline is behind; sample dropped");
                }
            }
        }
    }
}
