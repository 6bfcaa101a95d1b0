using System.Diagnostics;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// A model waiting to replace a pipeline's model between two windows (sensor) or frames (camera). The pipeline's
/// loop takes it before its next window, so the window in flight finishes on the old model and the next one runs on
/// the new: none is dropped or scored twice. <see cref="Completion"/> yields the replaced model once it is no longer
/// in use.
/// </summary>
public sealed class ModelSwap<TModel>
    where TModel : class
{
    private readonly TaskCompletionSource<TModel> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="apply">Run on the loop thread at the swap (the candidate's standardisation or alert threshold); keep it short.</param>
    public ModelSwap(TModel model, Action? apply = null)
    {
        Model = model;
        Apply = apply;
    }

    public TModel Model { get; }

    internal Action? Apply { get; }

    public Task<TModel> Completion => _done.Task;

    /// <summary>How long the loop paused to swap, in <see cref="Stopwatch"/> ticks.</summary>
    public long PauseTicks { get; private set; }

    /// <summary>How many windows or frames the pipeline had scored when the new model took over.</summary>
    public long ScoredBefore { get; private set; }

    public TimeSpan Pause => Stopwatch.GetElapsedTime(0, PauseTicks);

    internal void Complete(TModel previous, long pauseTicks, long scoredBefore)
    {
        PauseTicks = pauseTicks;
        ScoredBefore = scoredBefore;
        _done.TrySetResult(previous);
    }
}
