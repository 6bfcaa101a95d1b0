namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// The model stage of any pipeline (a sensor's <c>IWindowModel</c>, a camera's <c>CameraModel</c>): the pipeline
/// writes the input in place, <see cref="Run"/> computes, <see cref="Output"/> holds the result until the next run.
/// </summary>
public interface IPipelineModel
{
    ReadOnlySpan<float> Output { get; }

    void Run();
}
