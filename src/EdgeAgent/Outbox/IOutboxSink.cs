namespace EdgeAgent.Outbox;

/// <summary>Where the outbox sends its messages (the MQTT link). Called from the outbox pump's thread only.</summary>
public interface IOutboxSink
{
    /// <summary>Changes on every new connection; 0 while not connected. Acknowledgements carry the generation they belong to.</summary>
    int ConnectionGeneration { get; }

    /// <summary>
    /// Hands one message to the broker connection. The sink reports its acknowledgement later through
    /// <see cref="DurableOutbox.OnAcknowledged"/> with the returned <paramref name="mid"/>.
    /// </summary>
    /// <param name="id">The message's unique id, NUL-terminated UTF-8.</param>
    SendResult Send(int generation, ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, byte qos, bool retain, ReadOnlySpan<byte> id, out int mid);
}

public enum SendResult
{
    Sent,

    /// <summary>The connection is gone; the message stays queued.</summary>
    NotConnected,

    /// <summary>The message can never be sent as it is (too large for the broker, invalid topic); it is dropped and counted.</summary>
    Rejected,
}
