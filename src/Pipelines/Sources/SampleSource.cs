using System.Threading.Channels;
using EdgeAgent.Pipelines.Supervision;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// A producer of samples. <see cref="RunAsync"/> writes into the pipeline's bounded channel until cancelled
/// (or, for a replay without loop, until the file ends) and survives its device coming and going.
/// </summary>
public abstract class SampleSource
{
    protected SampleSource(SourceContext context)
    {
        Context = context;
    }

    public SourceContext Context { get; }

    public string Name => Context.Name;

    public SourceCounters Counters => Context.Counters;

    public abstract Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken);

    /// <summary>
    /// Delays between reopen attempts: 0.5 s doubling up to <paramref name="maxRetry"/> (never below 0.5 s), with ±20%
    /// jitter so that many devices behind one hub do not retry in lockstep.
    /// </summary>
    protected static Backoff ReopenBackoff(TimeSpan maxRetry)
    {
        var first = TimeSpan.FromMilliseconds(500);
        return new Backoff(first, maxRetry < first ? first : maxRetry, BackoffJitter.TwentyPercent);
    }
}
