namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// A model loaded by <see cref="IModelSlot.Load"/> (or the one a swap replaced), whatever the pipeline's kind. Owned
/// by whoever holds it until it is swapped in: disposing it releases its session.
/// </summary>
public abstract class ModelCandidate : IDisposable
{
    /// <summary>The model itself (a <c>OnnxWindowModel</c>, a <c>CameraModel</c>...).</summary>
    public abstract IPipelineModel Model { get; }

    public ReadOnlySpan<float> Output => Model.Output;

    public void Dispose()
    {
        (Model as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A swap the loop took: the model it replaced, how long the loop paused and how many windows or frames the old model had scored.</summary>
public sealed record SwapOutcome(ModelCandidate Previous, TimeSpan Pause, long ScoredBefore);
