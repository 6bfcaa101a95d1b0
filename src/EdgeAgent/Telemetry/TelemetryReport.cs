using System.Buffers;
using System.Text.Json;
using EdgeAgent.Mqtt;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Health;

namespace EdgeAgent.Telemetry;

/// <summary>Writes one telemetry report (schema in docs/mqtt.md) into a reused buffer.</summary>
internal sealed class TelemetryReport
{
    private static readonly string Version = typeof(TelemetryReport).Assembly.GetName().Version?.ToString(3) ?? "0";

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly string _deviceId;
    private readonly long _startedMs;
    private Utf8JsonWriter? _writer;

    public TelemetryReport(string deviceId, long startedMs)
    {
        _deviceId = deviceId;
        _startedMs = startedMs;
    }

    public ReadOnlySpan<byte> Write(MqttLink link, DurableOutbox outbox, HealthMonitor health, IEnumerable<ITelemetryContributor> contributors)
    {
        _buffer.ResetWrittenCount();
        _writer ??= new Utf8JsonWriter(_buffer);
        _writer.Reset(_buffer);
        var w = _writer;
        var now = DateTimeOffset.UtcNow;
        var nowMs = now.ToUnixTimeMilliseconds();
        w.WriteStartObject();
        w.WriteString("ts", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("device", _deviceId);
        w.WriteString("type", "telemetry");
        w.WriteString("version", Version);
        w.WriteNumber("uptimeSeconds", (nowMs - _startedMs) / 1000);

        var reports = health.CheckAll();
        w.WriteString("health", HealthMonitor.Overall(reports).ToString().ToLowerInvariant());

        w.WriteStartObject("mqtt");
        w.WriteString("state", ConnectionStateName(link.State));
        var since = link.ConnectedSinceMs;
        w.WriteNumber("connectedSeconds", since == 0 ? 0 : (nowMs - since) / 1000);
        var (oversized, malformed, overflowed) = link.InboundDrops;
        w.WriteNumber("inboundOversized", oversized);
        w.WriteNumber("inboundMalformed", malformed);
        w.WriteNumber("inboundOverflowed", overflowed);
        w.WriteEndObject();

        var stats = outbox.Statistics;
        w.WriteStartObject("outbox");
        w.WriteNumber("depth", stats.Depth);
        w.WriteNumber("bytes", stats.Bytes);
        w.WriteNumber("oldestAgeSeconds", Math.Round(stats.OldestAgeSeconds(outbox.NowMs()), 1)); // on the outbox's own (monotonic) time line
        w.WriteNumber("dropped", stats.Dropped);
        w.WriteNumber("rejected", stats.Rejected);
        w.WriteNumber("inFlight", stats.InFlight);
        w.WriteNumber("accepted", stats.Accepted);
        w.WriteNumber("delivered", stats.Delivered);
        WriteDiskFull(w, stats);
        w.WriteEndObject();

        w.WriteStartObject("pipelines");
        foreach (var contributor in contributors)
        {
            w.WriteStartObject(contributor.Name);
            contributor.WriteCounters(w);
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>The outbox's persistence state and its counters (docs/mqtt.md); STATUS writes the same fields.</summary>
    public static void WriteDiskFull(Utf8JsonWriter w, OutboxStatistics stats)
    {
        w.WriteString("persistence", stats.Persistence);
        w.WriteNumber("memoryDepth", stats.Held);
        w.WriteNumber("memoryBytes", stats.HeldBytes);
        w.WriteNumber("unpersistedAccepted", stats.Unpersisted);
        w.WriteNumber("unpersistedDelivered", stats.DeliveredUnpersisted);
        w.WriteNumber("memoryDropped", stats.HeldDropped);
    }

    public static string ConnectionStateName(ConnectionState state) => state switch
    {
        ConnectionState.Connected => "connected",
        ConnectionState.Connecting => "connecting",
        ConnectionState.Refused => "refused",
        ConnectionState.Disabled => "disabled",
        _ => "unreachable",
    };
}
