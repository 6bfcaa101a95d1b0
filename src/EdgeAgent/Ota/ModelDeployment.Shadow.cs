using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Models;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

public sealed partial class ModelDeployment
{
    // The model each pipeline served before its current one: a rollback to it (the CLI's 'models rollback') is not
    // shadowed, since it served already and would often fail a comparison with the model it replaces by design.
    private readonly ConcurrentDictionary<string, (string Name, string Version)> _previous = new(StringComparer.Ordinal);

    /// <summary>The statistics of the last shadow period (windows or frames), for status and tests.</summary>
    public ShadowStatistics? LastShadow { get; private set; }

    /// <summary>The candidate of the last shadow period (tests: the very session swapped in, or disposed on rejection).</summary>
    internal IPipelineModel? LastShadowCandidate { get; private set; }

    /// <summary>
    /// The shadow period, when <c>ota.shadow.seconds</c> is set and the candidate is not the model the pipeline served
    /// before its current one (a rollback). The loaded candidate scores every live window or frame beside the active
    /// model for <c>seconds</c> (extended up to <c>maxSeconds</c> until <c>minWindows</c> were seen), then
    /// <see cref="ShadowVerdict"/> judges it. On success its session is the one swapped in; on failure (or
    /// cancellation) it is disposed.
    /// </summary>
    /// <returns>Null when the candidate may be swapped in; otherwise the <see cref="RejectionReason.ShadowFailed"/> failure.</returns>
    private async Task<DeploymentFailure?> ShadowAsync(PipelineOptions options, IModelSlot live, ModelCandidate candidate, ServingManifest? manifest,
        StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken)
    {
        if (_ota.Shadow.Seconds == 0 || _previous.GetValueOrDefault(options.Name) == (model.Name, model.Version))
        {
            return null;
        }

        progress(UpdateState.Shadow);
        return await CandidateLifetime.DisposeUnlessPassedAsync(candidate, () => ShadowCoreAsync(options, live, candidate, manifest, model, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<DeploymentFailure?> ShadowCoreAsync(PipelineOptions options, IModelSlot live, ModelCandidate candidate, ServingManifest? manifest,
        StoredModel model, CancellationToken cancellationToken)
    {
        var bounds = _ota.Shadow;
        var unit = live.Unit[..^1]; // ShadowVerdict's singular "window" or "frame"
        // The threshold it would bring at the swap (a configured threshold still wins).
        var threshold = options.Alert.RaiseThreshold ?? manifest?.Threshold ?? live.RaiseThreshold;
        LastShadowCandidate = candidate.Model;
        if (live.AttachShadow(candidate, threshold, manifest, options) is not { } shadow)
        {
            return new DeploymentFailure(RejectionReason.Conflict, $"pipeline '{options.Name}' already shadows another candidate", false);
        }

        LogShadowStarted(_logger, options.Name, model.Name, model.Version, live.Unit, bounds.Seconds);
        var start = Stopwatch.GetTimestamp();
        string? verdict;
        try
        {
            verdict = await ShadowPeriod.ObserveAsync(() => shadow.Statistics, bounds, start, unit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            live.DetachShadow(shadow);
        }

        var statistics = shadow.Statistics;
        LastShadow = statistics;
        verdict ??= ShadowVerdict.Judge(statistics, bounds, _ota.HealthMaxLatencyMilliseconds, Stopwatch.GetElapsedTime(start).TotalSeconds, unit);
        if (verdict is null)
        {
            LogShadowPassed(_logger, options.Name, model.Name, model.Version, ShadowVerdict.Summary(statistics, unit));
            return null;
        }

        LogShadowFailed(_logger, options.Name, model.Name, model.Version, verdict);
        return new DeploymentFailure(RejectionReason.ShadowFailed, $"{model.Name} {model.Version}: shadow period: {verdict}; the active model keeps serving", false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Name} {Version} scores live {Unit} beside the active model for {Seconds} s (shadow period)")]
    private static partial void LogShadowStarted(ILogger logger, string pipeline, string name, string version, string unit, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: {Name} {Version} passed its shadow period ({Summary})")]
    private static partial void LogShadowPassed(ILogger logger, string pipeline, string name, string version, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: {Name} {Version} failed its shadow period: {Verdict}")]
    private static partial void LogShadowFailed(ILogger logger, string pipeline, string name, string version, string verdict);
}
