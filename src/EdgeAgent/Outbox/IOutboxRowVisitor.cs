namespace EdgeAgent.Outbox;

/// <summary>Receives rows read from the outbox; the spans are valid only during the call.</summary>
internal interface IOutboxRowVisitor
{
    /// <returns>false to stop reading.</returns>
    bool Visit(long seq, long timestampMs, byte qos, bool retain, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload);
}
