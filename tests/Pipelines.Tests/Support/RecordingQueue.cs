using System.Text;
using System.Text.Json;
using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>An in-memory <see cref="IOutboundQueue"/> that keeps every message (a test seam for the durable outbox).</summary>
public sealed class RecordingQueue : IOutboundQueue
{
    private readonly List<(string Topic, byte[] Payload, MessageOptions Options)> _messages = [];

    public IReadOnlyList<(string Topic, byte[] Payload, MessageOptions Options)> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
    {
        lock (_messages)
        {
            _messages.Add((Encoding.UTF8.GetString(relativeTopic), payload.ToArray(), options));
        }
    }

    /// <summary>The events' payloads (topics <c>events/...</c>) parsed as JSON, optionally only those of one event type.</summary>
    public IReadOnlyList<JsonElement> Events(string? type = null) =>
    [
        .. Messages.Where(m => m.Topic.StartsWith("events/", StringComparison.Ordinal)).Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .Where(e => type is null || e.GetProperty("type").GetString() == type),
    ];
}
