using System.Threading.Channels;
using EdgeAgent.Hosting;
using EdgeAgent.Ota.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// The one update pipeline every channel feeds: download → verify → store → deploy (validate, shadow, swap,
/// watch) → activate. Any failure leaves the previous model serving and the reason reported.
/// <para>It is the one owner of faults for every channel (MQTT desired state, inbox, CLI's active.json): an update
/// ends as applied, rejected with a reason (<c>internal_error</c> for what nobody foresaw, logged with its stack) or
/// retried; no exception reaches the host. One update runs at a time, whatever its channel, in the order the requests
/// arrived (UpdateCoordinator.Ordering.cs). Each pipeline has one desired target: a newer desired state cancels the
/// older one's pending retries and its download.</para>
/// </summary>
public sealed partial class UpdateCoordinator : BackgroundService
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    private readonly ModelStore _store;
    private readonly BundleInstaller _installer;
    private readonly ArtifactDownloader _downloader;
    private readonly IModelDeployment _deployment;
    private readonly OtaStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly ILogger<UpdateCoordinator> _logger;
    private readonly Channel<UpdateRequest> _requests = Channel.CreateUnbounded<UpdateRequest>(new UnboundedChannelOptions { SingleReader = true });

    // A retained desired state is delivered again at every reconnect: a rejected request is not retried. Keyed by
    // what was asked (artifact, where from, which version), so another request for the same bytes is still tried.
    private readonly HashSet<(string Pipeline, string Sha256, Uri Url, string Version)> _rejected = [];
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly CrashBreaker _breaker;

    public UpdateCoordinator(
        ModelStore store,
        BundleInstaller installer,
        ArtifactDownloader downloader,
        IModelDeployment deployment,
        OtaStatusBoard board,
        TimeProvider time,
        ILogger<UpdateCoordinator> logger,
        CrashBreaker? breaker = null)
    {
        _breaker = breaker ?? new CrashBreaker(store);
        _store = store;
        _installer = installer;
        _downloader = downloader;
        _deployment = deployment;
        _board = board;
        _time = time;
        _logger = logger;
        foreach (var pipeline in deployment.Pipelines)
        {
            var active = store.Active(pipeline);
            board.Set(pipeline, _ => new PipelineModelStatus(pipeline, active?.Name, active?.Version, active?.PreviousName, active?.PreviousVersion,
                UpdateState.None, null, null, null, null, time.GetUtcNow()));
        }

        if (_breaker.TrippedAtStart is { } trip && deployment.Pipelines.Contains(trip.Pipeline))
        {
            var message = $"{trip.Name} {trip.Version}: the agent stopped while it was being deployed (a crash, the OOM killer or the watchdog); it is never deployed to this pipeline again";
            board.Set(trip.Pipeline, old => old! with { State = UpdateState.Rejected, CandidateName = trip.Name, CandidateVersion = trip.Version,
                Reason = RejectionReason.CrashedValidation, Message = message, Updated = time.GetUtcNow() });
            LogRejected(logger, trip.Pipeline, RejectionReason.CrashedValidation, message);
        }
    }

    private async Task ProcessDesiredAsync(DesiredModel desired, CancellationToken cancellationToken)
    {
        var active = _store.Active(desired.Pipeline);
        if (active is not null && active.Name == desired.Name && active.Version == desired.Version)
        {
            return;
        }

        if (_rejected.Contains(RejectionKey(desired)))
        {
            return;
        }

        if (_breaker.IsTripped(desired.Pipeline, desired.Name, desired.Version))
        {
            _rejected.Add(RejectionKey(desired));
            Reject(desired.Pipeline, desired.Name, desired.Version, RejectionReason.CrashedValidation,
                $"{desired.Name} {desired.Version} crashed the agent during an earlier deployment; it is not deployed again (publish a fixed version)", rolledBack: false);
            return;
        }

        // A newer desired state for this pipeline cancels this one's download (and its pending retries).
        using var superseded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TargetToken(desired));
        Report(desired.Pipeline, UpdateState.Downloading, desired.Name, desired.Version);
        StoredModel stored;
        try
        {
            var artifact = _store.DownloadPath(desired.Sha256);
            await _downloader.DownloadAsync(desired, artifact, superseded.Token).ConfigureAwait(false);
            Report(desired.Pipeline, UpdateState.Verifying, desired.Name, desired.Version);
            stored = _installer.Install(artifact, desired.Signature);
            File.Delete(artifact);
            if (stored.Name != desired.Name || stored.Version != desired.Version)
            {
                throw new OtaRejectedException(RejectionReason.InvalidManifest,
                    $"the artifact contains {stored.Name} {stored.Version}, but the desired state asks for {desired.Name} {desired.Version}");
            }
        }
        catch (OtaRejectedException ex) when (ex.Transient)
        {
            var attempt = _attempts[desired.Pipeline] = _attempts.GetValueOrDefault(desired.Pipeline) + 1;
            var delay = RetryDelays[Math.Min(attempt - 1, RetryDelays.Length - 1)];
            Report(desired.Pipeline, UpdateState.Downloading, desired.Name, desired.Version, null, $"{ex.Message}; retrying in {delay.TotalSeconds:0}s");
            LogRetry(_logger, desired.Pipeline, ex.Message, delay.TotalSeconds);
            _ = RetryLaterAsync(new DesiredUpdate(desired), delay, TargetToken(desired), cancellationToken);
            return;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Superseded by a newer desired state, which is queued behind this one and reports for itself.
            LogSuperseded(_logger, desired.Pipeline, desired.Name, desired.Version);
            return;
        }
        catch (OtaRejectedException ex)
        {
            Reject(desired.Pipeline, desired.Name, desired.Version, ex.Reason, ex.Message, rolledBack: false);
            _rejected.Add(RejectionKey(desired));
            File.Delete(_store.DownloadPath(desired.Sha256));
            return;
        }

        _attempts.Remove(desired.Pipeline);
        if (await DeployAsync(desired.Pipeline, stored, cancellationToken).ConfigureAwait(false) is not null)
        {
            _rejected.Add(RejectionKey(desired));
        }
    }

    private async Task ProcessBundleAsync(BundleUpdate bundle, CancellationToken cancellationToken)
    {
        StoredModel stored;
        try
        {
            stored = _installer.Install(bundle.BundlePath);
        }
        catch (OtaRejectedException ex)
        {
            IEnumerable<string> pipelines = bundle.Pipeline is null ? _deployment.Pipelines : [bundle.Pipeline];
            foreach (var pipeline in pipelines)
            {
                Reject(pipeline, null, null, ex.Reason, $"{bundle.Origin}: {ex.Message}", rolledBack: false);
            }

            LogRejected(_logger, bundle.Origin, ex.Reason, ex.Message);
            throw;
        }

        IReadOnlyList<string> targets = bundle.Pipeline is not null
            ? [bundle.Pipeline]
            : _deployment.Pipelines.Where(p => _deployment.ModelName(p) == stored.Name).ToList();
        if (targets.Count == 0)
        {
            // Stored, but for no pipeline here: said so (inbox: .rejected with the reason), not filed under .done.
            var message = $"{bundle.Origin}: no pipeline of this device serves a model named '{stored.Name}' (pipelines: " +
                          $"{string.Join(", ", _deployment.Pipelines.Order().Select(p => $"{p} → {_deployment.ModelName(p) ?? "?"}"))})";
            LogRejected(_logger, bundle.Origin, RejectionReason.UnknownPipeline, message);
            throw new OtaRejectedException(RejectionReason.UnknownPipeline, message);
        }

        DeploymentFailure? failed = null;
        foreach (var pipeline in targets)
        {
            failed ??= await DeployAsync(pipeline, stored, cancellationToken).ConfigureAwait(false);
        }

        // The inbox files the bundle under .rejected with this reason.
        if (failed is not null)
        {
            throw new OtaRejectedException(failed.Reason, failed.Message);
        }
    }

    private async Task ProcessStoreAsync(StoreUpdate request, CancellationToken cancellationToken)
    {
        // Checked again here: an update that ran meanwhile may have settled it.
        var active = _store.Active(request.Pipeline);
        if (active is null || active.Name != request.Model.Name || active.Version != request.Model.Version)
        {
            return;
        }

        if (await DeployAsync(request.Pipeline, request.Model, cancellationToken).ConfigureAwait(false) is not null && request.Serving is not null)
        {
            // Refused: the store must name what serves, or the next start would load the refused model.
            _store.Activate(request.Pipeline, request.Serving);
        }
    }

    private async Task<DeploymentFailure?> DeployAsync(string pipeline, StoredModel stored, CancellationToken cancellationToken)
    {
        if (_breaker.IsTripped(pipeline, stored.Name, stored.Version))
        {
            var tripped = new DeploymentFailure(RejectionReason.CrashedValidation,
                $"{stored.Name} {stored.Version} crashed the agent during an earlier deployment; it is not deployed again (publish a fixed version)", false);
            Reject(pipeline, stored.Name, stored.Version, tripped.Reason, tripped.Message, rolledBack: false);
            return tripped;
        }

        Report(pipeline, UpdateState.Validating, stored.Name, stored.Version);

        // The marker covers everything from the candidate's load into this process to its activation: a crash,
        // an OOM kill or a watchdog kill anywhere in between trips the breaker at the next start.
        _breaker.Arm(pipeline, stored.Name, stored.Version);
        DeploymentFailure? failure;
        try
        {
            TestHooks.PauseAt("deploying");
            failure = await _deployment.DeployAsync(pipeline, stored, state => Report(pipeline, state, stored.Name, stored.Version), cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            // Also on a graceful stop or a fault: only a process that died here leaves the marker behind.
            _breaker.Disarm();
        }

        if (failure is not null)
        {
            Reject(pipeline, stored.Name, stored.Version, failure.Reason, failure.Message, failure.RolledBack);
            return failure;
        }

        TestHooks.PauseAt("activating");
        var active = _store.Activate(pipeline, stored);
        _board.Set(pipeline, _ => new PipelineModelStatus(pipeline, active.Name, active.Version, active.PreviousName, active.PreviousVersion,
            UpdateState.Active, stored.Name, stored.Version, null, null, _time.GetUtcNow()));
        LogActivated(_logger, pipeline, stored.Name, stored.Version);
        return null;
    }

    private static (string Pipeline, string Sha256, Uri Url, string Version) RejectionKey(DesiredModel desired) =>
        (desired.Pipeline, desired.Sha256, desired.Url, desired.Version);

    /// <summary>Every state an update reports passes here; a crash test stops the update right after one (TestHooks).</summary>
    private void Report(string pipeline, UpdateState state, string? name, string? version, RejectionReason? reason = null, string? message = null)
    {
        _board.Set(pipeline, old => new PipelineModelStatus(pipeline, old?.ActiveName, old?.ActiveVersion, old?.PreviousName, old?.PreviousVersion,
            state, name, version, reason, message, _time.GetUtcNow()));
        TestHooks.PauseAt(state);
    }

    private void Reject(string pipeline, string? name, string? version, RejectionReason reason, string message, bool rolledBack)
    {
        Report(pipeline, rolledBack ? UpdateState.RolledBack : UpdateState.Rejected, name, version, reason, message);
        LogRejected(_logger, pipeline, reason, message);
    }

    private async Task RetryLaterAsync(UpdateRequest request, TimeSpan delay, CancellationToken superseded, CancellationToken stopping)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(superseded, stopping);
            await Task.Delay(delay, _time, either.Token).ConfigureAwait(false);
            _requests.Writer.TryWrite(request);
        }
        catch (OperationCanceledException)
        {
            // Superseded by a newer desired state, or the agent is stopping: the retry is dropped.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model update for {Pipeline} to {Name} {Version} superseded by a newer desired state")]
    private static partial void LogSuperseded(ILogger logger, string pipeline, string name, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model update for {Pipeline} rejected ({Reason}): {Message}; the previous model keeps serving")]
    private static partial void LogRejected(ILogger logger, string pipeline, RejectionReason reason, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline} now serves {Name} {Version}")]
    private static partial void LogActivated(ILogger logger, string pipeline, string name, string version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model download for {Pipeline} interrupted: {Message}; retrying in {Seconds}s")]
    private static partial void LogRetry(ILogger logger, string pipeline, string message, double seconds);
}
