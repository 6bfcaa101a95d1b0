using System.Diagnostics;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Processing;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

public sealed partial class SensorModelDeployment
{
    // The model each pipeline served before its current one: a rollback to it (the CLI's 'models rollback') is not
    // shadowed, since it served already and would often fail a comparison with the model it replaces by design.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Name, string Version)> _previous = new(StringComparer.Ordinal);

    /// <summary>The statistics of the last shadow period, for status and tests.</summary>
    public ShadowStatistics? LastShadow { get; private set; }

    /// <summary>
    /// The shadow period, when <c>ota.shadow.seconds</c> is set and the candidate is not the model the pipeline served
    /// before its current one (a rollback). The loaded candidate scores every live window beside the active model for
    /// <c>seconds</c> (extended up to <c>maxSeconds</c> until <c>minWindows</c> windows were seen), then is judged
    /// against the bounds. On success its session is the one swapped in; on failure (or cancellation) it is disposed.
    /// </summary>
    /// <returns>Null when the candidate may be swapped in; otherwise the <see cref="RejectionReason.ShadowFailed"/> failure.</returns>
    private async Task<DeploymentFailure?> ShadowAsync(PipelineOptions options, SensorPipeline live, OnnxWindowModel candidate, SensorModelManifest? manifest,
        StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken)
    {
        if (_ota.Shadow.Seconds == 0 || _previous.GetValueOrDefault(options.Name) == (model.Name, model.Version))
        {
            return null;
        }

        progress(UpdateState.Shadow);
        return await CandidateLifetime.DisposeUnlessPassedAsync(candidate, () => ShadowCoreAsync(options, live, candidate, manifest, model, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<DeploymentFailure?> ShadowCoreAsync(PipelineOptions options, SensorPipeline live, IWindowModel candidate, SensorModelManifest? manifest,
        StoredModel model, CancellationToken cancellationToken)
    {
        var bounds = _ota.Shadow;
        // The threshold it would bring at the swap (configured thresholds still win).
        var threshold = options.Alert.RaiseThreshold ?? manifest?.Threshold ?? live.Alert.RaiseThreshold;
        var shadow = new ShadowModel(candidate, SensorPipelineFactory.CreateScorer(options.Scorer, live.Features), threshold, live.Features, manifest);
        if (!live.AttachShadow(shadow))
        {
            return new DeploymentFailure(RejectionReason.Conflict, $"pipeline '{options.Name}' already shadows another candidate", false);
        }

        LogShadowStarted(_logger, options.Name, model.Name, model.Version, bounds.Seconds);
        var start = Stopwatch.GetTimestamp();
        string? verdict;
        try
        {
            verdict = await ShadowPeriod.ObserveAsync(() => shadow.Statistics, bounds, start, ShadowVerdict.Windows, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            live.DetachShadow(shadow);
        }

        var statistics = shadow.Statistics;
        LastShadow = statistics;
        verdict ??= ShadowVerdict.Judge(statistics, bounds, _ota.HealthMaxLatencyMilliseconds, Stopwatch.GetElapsedTime(start).TotalSeconds);
        if (verdict is null)
        {
            LogShadowPassed(_logger, options.Name, model.Name, model.Version, ShadowVerdict.Summary(statistics));
            return null;
        }

        return new DeploymentFailure(RejectionReason.ShadowFailed, $"{model.Name} {model.Version}: shadow period: {verdict}; the active model keeps serving", false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Name} {Version} scores live windows beside the active model for {Seconds} s (shadow period)")]
    private static partial void LogShadowStarted(ILogger logger, string pipeline, string name, string version, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Name} {Version} passed its shadow period ({Summary})")]
    private static partial void LogShadowPassed(ILogger logger, string pipeline, string name, string version, string summary);
}
