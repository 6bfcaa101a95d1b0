using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// The coordinator's order and its one owner of faults. Every channel's request runs through <see cref="ProcessAsync"/>
/// under one gate, so two updates never overlap (the inbox's and MQTT's swaps used to interleave); requests are served
/// in the order they reached the gate. Each pipeline's desired target is the latest desired state submitted for it.
/// </summary>
public sealed partial class UpdateCoordinator
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _targetsLock = new();
    private readonly Dictionary<string, (DesiredModel Desired, CancellationTokenSource Superseded)> _targets = new(StringComparer.Ordinal);
    private long _faults;

    /// <summary>Unexpected errors turned into <c>internal_error</c> rejections since start (logged with their stack).</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>Queues a request. A desired state becomes its pipeline's target at once: older ones' retries are cancelled.</summary>
    public void Submit(UpdateRequest request)
    {
        if (request is DesiredUpdate desired)
        {
            SetTarget(desired.Desired);
        }

        _requests.Writer.TryWrite(request);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await ProcessAsync(request, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (OtaRejectedException)
            {
                // Reported by ProcessAsync; a queued request has nobody else to tell.
            }
        }
    }

    /// <summary>
    /// Runs one request to its end, after any update in progress (public so the inbox and tests can drive it). A
    /// rejected bundle throws <see cref="OtaRejectedException"/> after the rejection is reported; nothing else escapes
    /// but the caller's cancellation.
    /// </summary>
    public async Task ProcessAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        MarkBusy(request);
        try
        {
            switch (request)
            {
                case DesiredUpdate desired when IsTarget(desired.Desired):
                    await ProcessDesiredAsync(desired.Desired, cancellationToken).ConfigureAwait(false);
                    break;
                case DesiredUpdate superseded:
                    LogSuperseded(_logger, superseded.Desired.Pipeline, superseded.Desired.Name, superseded.Desired.Version);
                    break;
                case BundleUpdate bundle:
                    await ProcessBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
                    break;
                case StoreUpdate stored:
                    await ProcessStoreAsync(stored, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OtaRejectedException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Fault(request, ex);
        }
        finally
        {
            MarkBusy(null);
            _gate.Release();
        }
    }

    /// <summary>What nobody foresaw: reported as <c>internal_error</c> on the pipeline(s) concerned, counted, logged with its stack.</summary>
    private OtaRejectedException Fault(UpdateRequest request, Exception ex)
    {
        Interlocked.Increment(ref _faults);
        LogFault(_logger, request.Origin, ex);
        var message = $"{request.Origin}: unexpected {ex.GetType().Name}: {ex.Message}";
        (string? Name, string? Version) candidate = request switch
        {
            DesiredUpdate d => (d.Desired.Name, d.Desired.Version),
            StoreUpdate s => (s.Model.Name, s.Model.Version),
            _ => (null, null),
        };
        IEnumerable<string> pipelines = request switch
        {
            DesiredUpdate d => [d.Desired.Pipeline],
            StoreUpdate s => [s.Pipeline],
            BundleUpdate { Pipeline: { } p } => [p],
            _ => _deployment.Pipelines,
        };
        foreach (var pipeline in pipelines)
        {
            Report(pipeline, UpdateState.Rejected, candidate.Name, candidate.Version, RejectionReason.InternalError, message);
        }

        if (request is DesiredUpdate desired)
        {
            // Not retried at every reconnect: a new desired state (another artifact) is needed.
            _rejected.Add(RejectionKey(desired.Desired));
        }

        return new OtaRejectedException(RejectionReason.InternalError, message, ex);
    }

    private void SetTarget(DesiredModel desired)
    {
        lock (_targetsLock)
        {
            if (_targets.TryGetValue(desired.Pipeline, out var current))
            {
                if (current.Desired == desired)
                {
                    return;
                }

                // Not disposed: a retry's delay may still be linked to it; cancelling is what it is for.
                current.Superseded.Cancel();
                _attempts.Remove(desired.Pipeline);
            }

            _targets[desired.Pipeline] = (desired, new CancellationTokenSource());
        }
    }

    /// <summary>True when this desired state is still its pipeline's target (one submitted without a target becomes it).</summary>
    private bool IsTarget(DesiredModel desired)
    {
        lock (_targetsLock)
        {
            if (!_targets.TryGetValue(desired.Pipeline, out var current))
            {
                _targets[desired.Pipeline] = (desired, new CancellationTokenSource());
                return true;
            }

            return current.Desired == desired;
        }
    }

    /// <summary>Cancelled when a newer desired state replaces this one as its pipeline's target.</summary>
    private CancellationToken TargetToken(DesiredModel desired)
    {
        lock (_targetsLock)
        {
            return _targets.TryGetValue(desired.Pipeline, out var current) && current.Desired == desired
                ? current.Superseded.Token
                : new CancellationToken(canceled: true);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Model update from {Origin} failed on an unexpected error; rejected as internal_error, the previous model keeps serving")]
    private static partial void LogFault(ILogger logger, string origin, Exception exception);
}
