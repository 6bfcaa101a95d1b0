using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Cli;

/// <summary>
/// The outbound queue of a verb that runs a pipeline only to read its decisions (evaluate) or to see that it loads
/// (doctor): nothing the pipeline would publish goes anywhere.
/// </summary>
internal sealed class DiscardQueue : IOutboundQueue
{
    public static readonly DiscardQueue Instance = new();

    public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
    {
    }
}
