namespace EdgeAgent.Pipelines.Events;

/// <summary>How a message is published once it leaves the outbox.</summary>
public readonly record struct MessageOptions(byte Qos, bool Retain)
{
    /// <summary>Events: at-least-once, in order.</summary>
    public static MessageOptions Event => new(1, false);

    /// <summary>State that a late subscriber must see (snapshots, reported state).</summary>
    public static MessageOptions RetainedState => new(1, true);
}

/// <summary>
/// The one door from the data path to the broker. <see cref="Enqueue"/> returns once the message is durably
/// accepted (it survives a broker outage and an agent restart); delivery happens later, in order.
/// Implementations are thread-safe and allocate nothing per call once warm: callers pass spans of pooled buffers.
/// </summary>
public interface IOutboundQueue
{
    /// <param name="relativeTopic">UTF-8 topic below the device's base topic, e.g. <c>events/vibration</c>.</param>
    /// <param name="payload">The message body (UTF-8 JSON for events, JPEG bytes for snapshots).</param>
    void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options);
}
