using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Processing;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

public sealed partial class CameraModelDeployment
{
    // The model each pipeline served before its current one: a rollback to it is not shadowed (it served already).
    private readonly ConcurrentDictionary<string, (string Name, string Version)> _previous = new(StringComparer.Ordinal);

    /// <summary>The statistics of the last shadow period (windows = frames), for status and tests.</summary>
    public ShadowStatistics? LastShadow { get; private set; }

    /// <summary>The candidate of the last shadow period (tests: the very session swapped in, or disposed on rejection).</summary>
    internal CameraModel? LastShadowCandidate { get; private set; }

    /// <summary>
    /// The shadow period, when <c>ota.shadow.seconds</c> is set and the candidate is not the model the pipeline served
    /// before its current one: the loaded candidate scores every live frame beside the active model for
    /// <c>seconds</c> (extended up to <c>maxSeconds</c> until <c>minWindows</c> frames were seen), then
    /// <see cref="ShadowVerdict"/> judges it. On success its session is the one swapped in; on failure (or
    /// cancellation) it is disposed.
    /// </summary>
    /// <returns>Null when the candidate may be swapped in; otherwise the <see cref="RejectionReason.ShadowFailed"/> failure.</returns>
    private async Task<DeploymentFailure?> ShadowAsync(PipelineOptions options, CameraPipeline live, CameraModel candidate, double? manifestThreshold,
        StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken)
    {
        if (_ota.Shadow.Seconds == 0 || (_previous.TryGetValue(options.Name, out var before) && before == (model.Name, model.Version)))
        {
            return null;
        }

        progress(UpdateState.Shadow);
        return await CandidateLifetime.DisposeUnlessPassedAsync(candidate, () => ShadowCoreAsync(options, live, candidate, manifestThreshold, model, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<DeploymentFailure?> ShadowCoreAsync(PipelineOptions options, CameraPipeline live, CameraModel candidate, double? manifestThreshold,
        StoredModel model, CancellationToken cancellationToken)
    {
        var bounds = _ota.Shadow;
        // The threshold it would bring at the swap (a configured threshold still wins).
        var threshold = options.Alert.RaiseThreshold ?? manifestThreshold ?? live.Alert.RaiseThreshold;
        var shadow = new CameraShadow(candidate, live.CreateScorer(), threshold);
        LastShadowCandidate = candidate;
        if (!live.AttachShadow(shadow))
        {
            return new DeploymentFailure(RejectionReason.Conflict, $"pipeline '{options.Name}' already shadows another candidate", false);
        }

        LogShadowStarted(_logger, options.Name, model.Name, model.Version, bounds.Seconds);
        var start = Stopwatch.GetTimestamp();
        string? verdict;
        try
        {
            verdict = await ShadowPeriod.ObserveAsync(() => shadow.Statistics, bounds, start, ShadowVerdict.Frames, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            live.DetachShadow(shadow);
        }

        var statistics = shadow.Statistics;
        LastShadow = statistics;
        verdict ??= ShadowVerdict.Judge(statistics, bounds, _ota.HealthMaxLatencyMilliseconds, Stopwatch.GetElapsedTime(start).TotalSeconds, ShadowVerdict.Frames);
        if (verdict is null)
        {
            LogShadowPassed(_logger, options.Name, model.Name, model.Version, ShadowVerdict.Summary(statistics, ShadowVerdict.Frames));
            return null;
        }

        LogShadowFailed(_logger, options.Name, model.Name, model.Version, verdict);
        return new DeploymentFailure(RejectionReason.ShadowFailed, $"{model.Name} {model.Version}: shadow period: {verdict}; the active model keeps serving", false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Name} {Version} scores live frames beside the active model for {Seconds} s (shadow period)")]
    private static partial void LogShadowStarted(ILogger logger, string pipeline, string name, string version, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Name} {Version} passed its shadow period ({Summary})")]
    private static partial void LogShadowPassed(ILogger logger, string pipeline, string name, string version, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: {Name} {Version} failed its shadow period: {Verdict}")]
    private static partial void LogShadowFailed(ILogger logger, string pipeline, string name, string version, string verdict);
}
