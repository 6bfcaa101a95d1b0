using System.Threading.Channels;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Calibration;

/// <summary>
/// Collects calibration data the way the pipeline will see it: the pipeline's own sources (for `calibrate`, a replay
/// of the normal data as fast as possible), windows and feature steps, minus standardisation (which calibration
/// learns). Only windows that end within the first <c>take</c> share of the samples count (NAB's probationary period).
/// </summary>
public static class CalibrationData
{
    /// <param name="take">Share of the input's samples, by position, treated as normal (0 &lt; take &lt;= 1).</param>
    /// <param name="progress">Receives the number of samples read so far (for a progress bar).</param>
    public static async Task<CalibrationSet> CollectAsync(PipelineOptions options, ILoggerFactory loggers, double take,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!(take > 0 && take <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(take), take, "take must be a share in (0, 1]");
        }

        var samples = await ReadAllAsync(options, loggers, progress, cancellationToken).ConfigureAwait(false);
        if (samples.Count == 0)
        {
            throw new InvalidDataException($"pipeline '{options.Name}': the input produced no samples");
        }

        var cutoff = samples[Math.Min(samples.Count - 1, (int)(take * samples.Count))].TimestampTicks;
        var windower = SensorPipelineFactory.CreateWindower(options);
        var features = FeaturePipeline.Create([.. options.EffectiveFeatures().Where(f => f.Kind != FeatureKind.Standardize)],
            [.. SensorPipelineFactory.Channels(options).Select(c => c.Name)], (int)options.Window.Size);
        var window = windower.CreateWindowData();
        var rows = new List<float[]>();
        foreach (var sample in samples)
        {
            windower.Push(sample);
            while (windower.TryGetWindow(window))
            {
                if (window.EndTicks <= cutoff)
                {
                    var row = new float[features.Length];
                    features.Write(window, row);
                    rows.Add(row);
                }
            }
        }

        return new CalibrationSet(rows, features.Names, cutoff, samples.Count);
    }

    /// <summary>Runs the pipeline's sources until they end (replays without loop do) and keeps every sample.</summary>
    /// <param name="created">Receives the sources, whose counters say what was rejected and why.</param>
    public static async Task<List<Sample>> ReadAllAsync(PipelineOptions options, ILoggerFactory loggers, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default, List<SampleSource>? created = null)
    {
        var sources = SensorPipelineFactory.CreateSources(options, loggers);
        created?.AddRange(sources);
        var channel = Channel.CreateBounded<Sample>(new BoundedChannelOptions(4096) { SingleReader = true });
        var run = Task.WhenAll(sources.Select(s => Task.Run(() => s.RunAsync(channel.Writer, cancellationToken), cancellationToken)))
            .ContinueWith(t => channel.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        var samples = new List<Sample>();
        await foreach (var sample in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add(sample);
            if ((samples.Count & 0xFFFF) == 0)
            {
                progress?.Report(samples.Count);
            }
        }

        await run.ConfigureAwait(false);
        progress?.Report(samples.Count);

        // Several sources interleave; windowing wants them in time order per channel, which each source keeps.
        return samples;
    }
}
