using System.Diagnostics;
using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// The over-the-air side of a camera pipeline: a pending-swap slot taken between two frames, a shadow slot (a
/// candidate scoring every frame beside the model), and the counters a health watch reads.
/// </summary>
public sealed partial class CameraPipeline
{
    private ModelSwap<CameraModel>? _pendingSwap;
    private CameraShadow? _shadow;
    private long _lastRunTicks;
    private volatile bool _tolerateModelErrors;
    private long _runs;
    private long _runTicks;
    private long _modelErrors;
    private string? _lastModelError;
    private long _lastModelErrorTicks;
    private long _nonFinite;

    /// <summary>Model runs (scored frames plus runs that threw), whichever model it was.</summary>
    public long ModelRuns => Volatile.Read(ref _runs);

    /// <summary>Total time in the model's Run, in <see cref="Stopwatch"/> ticks (mean latency = this / <see cref="ModelRuns"/>).</summary>
    public long RunTicks => Volatile.Read(ref _runTicks);

    /// <summary>Model runs that threw (those frames are not published).</summary>
    public long ModelErrors => Volatile.Read(ref _modelErrors);

    /// <summary>The last failed run's message, or null.</summary>
    public string? LastModelError => Volatile.Read(ref _lastModelError);

    /// <summary>When the last run failed (<see cref="Stopwatch"/> ticks); 0 if none has.</summary>
    public long LastModelErrorTicks => Volatile.Read(ref _lastModelErrorTicks);

    /// <summary>Frames whose score was NaN or infinite.</summary>
    public long NonFiniteScores => Volatile.Read(ref _nonFinite);

    /// <summary>
    /// Set by the health watch after a swap. A run that throws is always counted instead of ending the loop (the
    /// sensors' policy: one model's failure must not stop the agent); the watch reads the count to roll back.
    /// </summary>
    public bool TolerateModelErrors
    {
        get => _tolerateModelErrors;
        set => _tolerateModelErrors = value;
    }

    /// <summary>
    /// Queues a model swap taken before the next frame; false if another swap is still pending. The candidate must
    /// take the same image tensor (size, layout, element type) and yield the same output shape as the model it
    /// replaces, since the preprocessing and the scorer are built for them.
    /// </summary>
    /// <exception cref="ArgumentException">The candidate does not fit this pipeline (the message names both shapes).</exception>
    public bool RequestSwap(ModelSwap<CameraModel> swap)
    {
        if (Fit(swap.Model) is { } misfit)
        {
            throw new ArgumentException(misfit);
        }

        return Interlocked.CompareExchange(ref _pendingSwap, swap, null) is null;
    }

    /// <summary>
    /// Lets a candidate score every following frame beside the model (an OTA shadow period); false if another shadow
    /// is attached. The loop picks it up at its next frame; nothing the candidate does is published.
    /// </summary>
    /// <exception cref="ArgumentException">The candidate does not fit this pipeline.</exception>
    public bool AttachShadow(CameraShadow shadow)
    {
        if (Fit(shadow.Model) is { } misfit)
        {
            throw new ArgumentException(misfit);
        }

        return Interlocked.CompareExchange(ref _shadow, shadow, null) is null;
    }

    /// <summary>Ends a shadow: when this returns, the loop no longer runs the candidate (it may be disposed or swapped in).</summary>
    public void DetachShadow(CameraShadow shadow)
    {
        shadow.Stop();
        Interlocked.CompareExchange(ref _shadow, null, shadow);
    }

    /// <summary>Withdraws a swap the loop has not taken yet; false if it was already taken.</summary>
    public bool CancelSwap(ModelSwap<CameraModel> swap) => Interlocked.CompareExchange(ref _pendingSwap, null, swap) == swap;

    /// <summary>Null when <paramref name="candidate"/> can replace the model; otherwise why not, naming both tensors.</summary>
    public string? Fit(CameraModel candidate)
    {
        var model = Model;
        if (candidate.Width != model.Width || candidate.Height != model.Height || candidate.Layout != model.Layout ||
            candidate.Channels != model.Channels || candidate.ByteInput != model.ByteInput)
        {
            return $"its input {candidate.InputTensor} does not fit the pipeline's preprocessing, which writes {model.InputTensor} " +
                   $"({model.Width}x{model.Height}, {model.Layout}, {(model.ByteInput ? "uint8" : "float32")})";
        }

        return candidate.OutputTensor.Shape.SequenceEqual(model.OutputTensor.Shape)
            ? null
            : $"its output {candidate.OutputTensor} differs from the output {model.OutputTensor} the pipeline's scorer reads";
    }

    // Between two frames: the previous frame has been scored and published, the next has not started.
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
        swap.Complete(previous, Stopwatch.GetTimestamp() - start, FramesScored);
    }

    private bool RunModel()
    {
        var start = Stopwatch.GetTimestamp();
        _runs++;
        try
        {
            _model.Run();
        }
        catch (Exception ex)
        {
            // Counted, logged at a limited rate by the service and reported as Degraded; never rethrown.
            Volatile.Write(ref _lastModelError, ex.Message);
            Volatile.Write(ref _lastModelErrorTicks, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _modelErrors);
            return false;
        }

        _lastRunTicks = Stopwatch.GetTimestamp() - start;
        _runTicks += _lastRunTicks;
        return true;
    }

    private void RunShadow(CameraShadow shadow)
    {
        if (shadow.TryEnter())
        {
            shadow.Score(_model, LastScore, _lastRunTicks, _publisher.Alert.RaiseThreshold);
        }
        else
        {
            Interlocked.CompareExchange(ref _shadow, null, shadow);
        }
    }

    private void CountScore(double score)
    {
        if (!double.IsFinite(score))
        {
            _nonFinite++;
        }
    }
}
