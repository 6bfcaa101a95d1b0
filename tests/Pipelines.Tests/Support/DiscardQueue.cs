using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>An <see cref="IOutboundQueue"/> that drops every message: for tests and benchmarks that count windows, not events.</summary>
public sealed class DiscardQueue : IOutboundQueue
{
    public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
    {
    }
}
