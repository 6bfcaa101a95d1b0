using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// Writes a pipeline's event JSON into one reused buffer with one reused <see cref="Utf8JsonWriter"/>: no
/// allocation per event. Each method returns the payload, valid until the next call.
/// Every message gets its own <c>id</c> (a random prefix drawn once per writer, then a counter: unique across
/// restarts without a per-message allocation); start, update and end of one alert share its <c>alertId</c>.
/// </summary>
public sealed class AnomalyEventWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly EventHeader _header;
    private readonly JsonEncodedText[] _severities;
    private readonly byte[] _idPrefix;
    private long _sequence;

    public AnomalyEventWriter(string deviceId, string pipeline, IReadOnlyList<string> severityNames)
    {
        _idPrefix = Encoding.ASCII.GetBytes($"{(ulong)Random.Shared.NextInt64():x16}-");
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false });
        _header = new EventHeader(deviceId, pipeline);
        _severities = [.. severityNames.Select(n => JsonEncodedText.Encode(n))];
    }

    /// <summary><c>anomaly_start</c>: score, threshold, the window's time span, the top contributors and, for a
    /// detector, the boxes (class named from <paramref name="names"/>, normalised corners).</summary>
    public ReadOnlySpan<byte> Start(AlertStateMachine alert, double score, long windowStartTicks, long windowEndTicks,
        IReadOnlyList<byte[]> names, ReadOnlySpan<int> top, ReadOnlySpan<double> contributions, ReadOnlySpan<Detection> boxes = default)
    {
        Begin("anomaly_start"u8, alert.AlertId, alert.RaisedTicks, alert);
        Number("score"u8, score);
        Number("threshold"u8, alert.RaiseThreshold);
        _writer.WriteStartObject("window"u8);
        _writer.WriteString("start"u8, Utc(windowStartTicks));
        _writer.WriteString("end"u8, Utc(windowEndTicks));
        _writer.WriteEndObject();
        _writer.WriteString("alertStart"u8, Utc(alert.StartTicks));
        _writer.WriteStartArray("features"u8);
        for (var i = 0; i < top.Length; i++)
        {
            _writer.WriteStartObject();
            var name = (uint)top[i] < (uint)names.Count ? names[top[i]] : [];
            _writer.WriteString("name"u8, name);
            Number("contribution"u8, contributions[i]);
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        if (!boxes.IsEmpty)
        {
            _writer.WriteStartArray("boxes"u8);
            foreach (var box in boxes)
            {
                _writer.WriteStartObject();
                _writer.WriteString("class"u8, (uint)box.ClassId < (uint)names.Count ? names[box.ClassId] : []);
                Number("score"u8, box.Score);
                Number("x1"u8, box.X1);
                Number("y1"u8, box.Y1);
                Number("x2"u8, box.X2);
                Number("y2"u8, box.Y2);
                _writer.WriteEndObject();
            }

            _writer.WriteEndArray();
        }

        return End();
    }

    /// <summary><c>anomaly_update</c>: the current score and the peak so far.</summary>
    public ReadOnlySpan<byte> Update(AlertStateMachine alert, double score, long windowEndTicks)
    {
        Begin("anomaly_update"u8, alert.AlertId, windowEndTicks, alert);
        Number("score"u8, score);
        Number("peakScore"u8, alert.PeakScore);
        Number("threshold"u8, alert.RaiseThreshold);
        return End();
    }

    /// <summary><c>anomaly_end</c>: duration from the raising streak's start and the peak score.</summary>
    public ReadOnlySpan<byte> End(AlertStateMachine alert)
    {
        Begin("anomaly_end"u8, alert.AlertId, alert.EndTicks, alert);
        _writer.WriteString("started"u8, Utc(alert.StartTicks));
        Number("durationSeconds"u8, (alert.EndTicks - alert.StartTicks) / (double)TimeSpan.TicksPerSecond);
        Number("peakScore"u8, alert.PeakScore);
        Number("threshold"u8, alert.RaiseThreshold);
        return End();
    }

    /// <summary><c>score</c> telemetry for one window.</summary>
    public ReadOnlySpan<byte> Score(AlertStateMachine alert, double score, long windowEndTicks)
    {
        Open("score"u8, null, windowEndTicks);
        Number("score"u8, score);
        Number("threshold"u8, alert.RaiseThreshold);
        _writer.WriteBoolean("active"u8, alert.Active);
        if (alert.Active)
        {
            _writer.WriteString("alertId"u8, alert.AlertId);
        }

        return End();
    }

    /// <summary>
    /// The retained attributes of the pipeline's alert state (<c>alerts/&lt;pipeline&gt;/attributes</c>), beside the
    /// retained <c>ON</c>/<c>OFF</c> that Home Assistant's binary sensor reads.
    /// </summary>
    public ReadOnlySpan<byte> AlertAttributes(AlertStateMachine alert, double score, long ticks)
    {
        Open("alert_state"u8, null, ticks);
        _writer.WriteBoolean("active"u8, alert.Active);
        if (alert.AlertId != Guid.Empty)
        {
            _writer.WriteString("alertId"u8, alert.AlertId);
            _writer.WriteString("started"u8, Utc(alert.StartTicks));
            Number("peakScore"u8, alert.PeakScore);
            if ((uint)alert.Severity < (uint)_severities.Length)
            {
                _writer.WriteString("severity"u8, _severities[alert.Severity]);
            }
        }

        if (!alert.Active && alert.AlertId != Guid.Empty)
        {
            _writer.WriteString("ended"u8, Utc(alert.EndTicks));
        }

        Number("score"u8, score);
        Number("threshold"u8, alert.RaiseThreshold);
        return End();
    }

    private void Begin(ReadOnlySpan<byte> type, Guid alertId, long ticks, AlertStateMachine alert)
    {
        Open(type, alertId, ticks);
        if ((uint)alert.Severity < (uint)_severities.Length)
        {
            _writer.WriteString("severity"u8, _severities[alert.Severity]);
        }
    }

    /// <summary>
    /// Every message opens alike: the reused buffer emptied, then the event header with the message's own id (the
    /// writer's prefix and the next number, formatted on the stack).
    /// </summary>
    private void Open(ReadOnlySpan<byte> type, Guid? alertId, long ticks)
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        Span<byte> id = stackalloc byte[48];
        _idPrefix.CopyTo(id);
        Utf8Formatter.TryFormat(++_sequence, id[_idPrefix.Length..], out var written);
        _header.Open(_writer, type, id[..(_idPrefix.Length + written)], alertId, Utc(ticks));
    }

    private ReadOnlySpan<byte> End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        return _buffer.WrittenSpan;
    }

    // JSON has no NaN or infinity; a non-finite number is written as null rather than failing the event.
    private void Number(ReadOnlySpan<byte> name, double value)
    {
        if (double.IsFinite(value))
        {
            _writer.WriteNumber(name, value);
        }
        else
        {
            _writer.WriteNull(name);
        }
    }

    private static DateTime Utc(long ticks) => new(Math.Clamp(ticks, 0, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
}
