using System.Buffers.Text;
using System.Text.Json;

namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// How every message a pipeline publishes about its events opens (anomaly events, score, alert_state, clip,
/// thumbnail): <c>type</c>, its own <c>id</c>, the <c>alertId</c> it belongs to (when it belongs to one), <c>ts</c>,
/// <c>device</c>, <c>pipeline</c>, in that order. Device and pipeline are encoded once.
/// </summary>
internal sealed class EventHeader(string deviceId, string pipeline)
{
    private readonly JsonEncodedText _device = JsonEncodedText.Encode(deviceId);
    private readonly JsonEncodedText _pipeline = JsonEncodedText.Encode(pipeline);

    /// <summary>Starts the message's object and writes its header; the caller writes the rest and ends the object.</summary>
    public void Open(Utf8JsonWriter writer, ReadOnlySpan<byte> type, ReadOnlySpan<byte> id, Guid? alertId, DateTime ts)
    {
        writer.WriteStartObject();
        writer.WriteString("type"u8, type);
        writer.WriteString("id"u8, id);
        if (alertId is { } alert)
        {
            writer.WriteString("alertId"u8, alert);
        }

        writer.WriteString("ts"u8, ts);
        writer.WriteString("device"u8, _device);
        writer.WriteString("pipeline"u8, _pipeline);
    }

    /// <summary>The same, with a GUID for an id (written as <see cref="Utf8JsonWriter"/> writes a GUID).</summary>
    public void Open(Utf8JsonWriter writer, ReadOnlySpan<byte> type, Guid id, Guid? alertId, DateTime ts)
    {
        Span<byte> text = stackalloc byte[36];
        Utf8Formatter.TryFormat(id, text, out _);
        Open(writer, type, text, alertId, ts);
    }
}
