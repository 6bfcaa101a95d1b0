using System.Diagnostics;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// A scene model waiting to replace a camera pipeline's model between two frames: the frame in flight finishes on
/// the old model, the next one runs on the new; none is dropped or scored twice. <see cref="Completion"/> yields
/// the replaced model once the loop no longer uses it.
/// </summary>
public sealed class CameraModelSwap
{
    private readonly TaskCompletionSource<CameraModel> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="apply">Run on the loop thread at the swap (e.g. the candidate's alert threshold); keep it short.</param>
    public CameraModelSwap(CameraModel model, Action? apply = null)
    {
        Model = model;
        Apply = apply;
    }

    public CameraModel Model { get; }

    internal Action? Apply { get; }

    public Task<CameraModel> Completion => _done.Task;

    /// <summary>How long the loop paused to swap, in <see cref="Stopwatch"/> ticks.</summary>
    public long PauseTicks { get; private set; }

    /// <summary>How many frames the pipeline had scored when the new model took over.</summary>
    public long ScoredBefore { get; private set; }

    public TimeSpan Pause => Stopwatch.GetElapsedTime(0, PauseTicks);

    internal void Complete(CameraModel previous, long pauseTicks, long scoredBefore)
    {
        PauseTicks = pauseTicks;
        ScoredBefore = scoredBefore;
        _done.TrySetResult(previous);
    }
}
