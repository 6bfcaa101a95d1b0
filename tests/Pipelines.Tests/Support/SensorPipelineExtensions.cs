using System.Threading.Channels;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>Test-only: feeds a pipeline from a channel (the agent's loop is <see cref="SensorPipelineRunner"/>).</summary>
public static class SensorPipelineExtensions
{
    /// <summary>Consumes samples until the writer completes or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(this SensorPipeline pipeline, ChannelReader<Sample> samples, CancellationToken cancellationToken)
    {
        while (await samples.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (samples.TryRead(out var sample))
            {
                pipeline.OnSample(sample);
            }
        }
    }
}
