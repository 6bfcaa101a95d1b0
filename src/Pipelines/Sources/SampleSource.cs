using System.Threading.Channels;

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
}
