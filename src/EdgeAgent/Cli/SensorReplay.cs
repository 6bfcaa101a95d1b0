using System.Diagnostics;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Novelty;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent replay</c>'s sensor part: the file is read through the pipeline's own source gate (what it rejects is
/// counted, by reason), and every accepted sample goes through the same windows, features, model and alert logic as
/// the daemon's; without a model the built-in detector serves, as in the daemon.
/// </summary>
internal static class SensorReplay
{
    public static async Task<ReplaySummary> RunAsync(LoadedConfig loaded, PipelineOptions pipeline, string file, string? modelPath, InferenceRuntime? runtime,
        IOutboundQueue printer, CancellationToken cancellationToken)
    {
        var replay = PipelineArguments.WithReplay(pipeline, file);
        var features = SensorPipelineFactory.CreateFeatures(replay);
        var binding = modelPath is null ? DetectorBinding.Create(replay, features) : PipelineModelLoader.Load(runtime!, replay, features, modelPath);
        var sensor = SensorPipelineFactory.Create(replay, loaded.Options.DeviceId, binding.Model, binding.Threshold, printer, features);

        var sources = new List<SampleSource>();
        var samples = await CalibrationData.ReadAllAsync(replay, StderrLoggerFactory.Instance, cancellationToken: cancellationToken, created: sources).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        foreach (var sample in samples)
        {
            sensor.OnSample(sample);
        }

        clock.Stop();
        var windows = sensor.Counters.Windows;
        return new ReplaySummary("windows", windows, $"{samples.Count} samples, {windows} windows", [("samples", samples.Count), ("windows", windows)],
            clock.Elapsed, Skipped(sources));
    }

    /// <summary>What the sources rejected, by reason (the names telemetry's badInputByReason uses).</summary>
    private static SortedDictionary<string, long> Skipped(List<SampleSource> sources) => new(
        sources.SelectMany(source => source.Counters.RejectionsByReason())
            .GroupBy(reason => reason.Reason)
            .ToDictionary(reasons => reasons.Key, reasons => reasons.Sum(reason => reason.Count)),
        StringComparer.Ordinal);
}
