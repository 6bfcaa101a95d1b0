using System.Diagnostics;
using System.Runtime.CompilerServices;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Preprocessing;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// The model stage every pipeline composes (sensor windows and camera frames alike): the active model, a pending
/// swap taken between two windows or frames, a shadow candidate scored after each published one, the run, error
/// and NaN counters a health watch reads, and one model-error policy: a run that throws is counted, remembered
/// for health (Degraded) and the rate-limited log, and skipped; it never ends the loop, so one model's failure
/// never stops the agent. A swap applies the new model's manifest (threshold, standardisation) in the same step.
/// The loop side (<see cref="TakeSwapIfPending"/>, <see cref="TryRun"/>, <see cref="Scored"/>) is called from one
/// thread and allocates nothing; the rest may be called from any thread.
/// </summary>
public sealed partial class ModelSlot<TModel>
    where TModel : class, IPipelineModel
{
    private readonly IModelKind<TModel> _kind;
    private readonly AlertStateMachine _alert;
    private readonly StandardizeStep? _standardization;
    private TModel _model;
    private ModelSwap<TModel>? _pendingSwap;
    private ModelShadow<TModel>? _shadow;
    private long _runs;
    private long _runTicks;
    private long _lastRunTicks;
    private long _errors;
    private string? _lastError;
    private long _lastErrorTicks;
    private long _nonFinite;

    /// <param name="standardization">The live features' standardisation a sensor model's manifest sets (null for cameras).</param>
    public ModelSlot(TModel model, IModelKind<TModel> kind, AlertStateMachine alert, StandardizeStep? standardization = null)
    {
        _model = model;
        _kind = kind;
        _alert = alert;
        _standardization = standardization;
    }

    /// <summary>The model scoring now (changes only on the loop thread, at a swap).</summary>
    public TModel Model => Volatile.Read(ref _model);

    public AlertStateMachine Alert => _alert;

    /// <summary>Model runs, those that threw included, whichever model it was.</summary>
    public long Runs => Volatile.Read(ref _runs);

    /// <summary>Total time in the model's successful runs, in <see cref="Stopwatch"/> ticks.</summary>
    public long RunTicks => Volatile.Read(ref _runTicks);

    /// <summary>Model runs that threw (their window or frame is not published).</summary>
    public long ModelErrors => Volatile.Read(ref _errors);

    /// <summary>The message of the last run that threw (null when none has).</summary>
    public string? LastModelError => Volatile.Read(ref _lastError);

    /// <summary>When the last run threw (<see cref="Stopwatch"/> ticks); 0 if none has.</summary>
    public long LastModelErrorTicks => Volatile.Read(ref _lastErrorTicks);

    /// <summary>Scores that were NaN or infinite.</summary>
    public long NonFiniteScores => Volatile.Read(ref _nonFinite);

    /// <summary>The counters a health watch compares before and after a swap.</summary>
    public ModelCounters Counters
    {
        get
        {
            var errors = ModelErrors;
            return new ModelCounters(errors, NonFiniteScores, Runs - errors, RunTicks);
        }
    }

    /// <summary>
    /// Why the pipeline's health is Degraded by its model (a run failed within the last <see cref="ModelErrorMemorySeconds"/>),
    /// or null; the same for every kind.
    /// </summary>
    public string? Failing(long nowTicks) =>
        ModelErrors is var errors and > 0 && nowTicks - LastModelErrorTicks < ModelErrorMemorySeconds * Stopwatch.Frequency
            ? $"model failing: {errors} failed run(s) so far, the last within {ModelErrorMemorySeconds} s ({LastModelError})"
            : null;

    /// <summary>How long a failed run keeps the pipeline Degraded.</summary>
    public const int ModelErrorMemorySeconds = 60;

    /// <summary>Null when <paramref name="candidate"/> can replace the model; otherwise why not.</summary>
    public string? Fit(TModel candidate) => _kind.Fit(candidate, Model);

    /// <summary>Queues a model swap taken before the next window or frame; false if another swap is still pending.</summary>
    /// <exception cref="ArgumentException">The candidate does not fit this pipeline (the message says why).</exception>
    public bool RequestSwap(ModelSwap<TModel> swap) =>
        Fit(swap.Model) is { } misfit ? throw new ArgumentException(misfit) : Interlocked.CompareExchange(ref _pendingSwap, swap, null) is null;

    /// <summary>Withdraws a swap the loop has not taken yet; false if it was already taken.</summary>
    public bool CancelSwap(ModelSwap<TModel> swap) => Interlocked.CompareExchange(ref _pendingSwap, null, swap) == swap;

    /// <summary>
    /// Lets a candidate score every following window or frame beside the model (an OTA shadow period); false if
    /// another shadow is attached. The loop picks it up next time; nothing the candidate does is published.
    /// </summary>
    /// <exception cref="ArgumentException">The candidate does not fit this pipeline.</exception>
    public bool AttachShadow(ModelShadow<TModel> shadow) =>
        Fit(shadow.Model) is { } misfit ? throw new ArgumentException(misfit) : Interlocked.CompareExchange(ref _shadow, shadow, null) is null;

    /// <summary>Ends a shadow: when this returns, the loop no longer runs the candidate (it may be disposed or swapped in).</summary>
    public void DetachShadow(ModelShadow shadow)
    {
        shadow.Stop();
        if (shadow is ModelShadow<TModel> typed)
        {
            Interlocked.CompareExchange(ref _shadow, null, typed);
        }
    }

    /// <summary>Loop thread, between two windows or frames: takes a pending swap (the previous one is scored and published).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void TakeSwapIfPending()
    {
        if (Volatile.Read(ref _pendingSwap) is not null)
        {
            TakeSwap();
        }
    }

    /// <summary>Loop thread: runs the model on the input just written; false (counted, never thrown) when the run failed.</summary>
    public bool TryRun()
    {
        var start = Stopwatch.GetTimestamp();
        _runs++;
        try
        {
            _model.Run();
        }
        catch (Exception ex)
        {
            // Counted, not rethrown: one bad run must not end the loop (the service logs it at a limited rate and
            // reports the pipeline Degraded; a health watch after a swap rolls back on it).
            Volatile.Write(ref _lastError, ex.Message);
            Volatile.Write(ref _lastErrorTicks, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _errors);
            return false;
        }

        _lastRunTicks = Stopwatch.GetTimestamp() - start;
        _runTicks += _lastRunTicks;
        return true;
    }

    /// <summary>Loop thread, after the score of a successful run was published: counts a non-finite score and gives a shadow its turn.</summary>
    public void Scored(double score)
    {
        if (!double.IsFinite(score))
        {
            _nonFinite++;
        }

        // After the window or frame is published, so the candidate adds nothing to the event latency.
        if (Volatile.Read(ref _shadow) is { } shadow)
        {
            if (shadow.TryEnter())
            {
                shadow.Score(_model, score, _lastRunTicks, _alert.RaiseThreshold);
            }
            else
            {
                Interlocked.CompareExchange(ref _shadow, null, shadow);
            }
        }
    }

    /// <summary>Loop thread (a swap's apply step): the model's threshold and standardisation, or <paramref name="threshold"/> when it brings no threshold.</summary>
    internal void Apply(ServingManifest? manifest, double? threshold)
    {
        if (manifest?.Mean is { } mean && manifest.Std is { } std)
        {
            _standardization?.Set(mean, std);
        }

        if ((manifest?.Threshold ?? threshold) is { } t)
        {
            _alert.UseModelThreshold(t);
        }
    }

    private void TakeSwap()
    {
        var start = Stopwatch.GetTimestamp();
        var swap = Interlocked.Exchange(ref _pendingSwap, null);
        if (swap is null)
        {
            return;
        }

        var previous = _model;
        swap.Apply?.Invoke();
        Volatile.Write(ref _model, swap.Model);
        swap.Complete(previous, Stopwatch.GetTimestamp() - start, _runs - _errors);
    }
}
