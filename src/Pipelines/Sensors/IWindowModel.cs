using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>
/// The model stage of a sensor pipeline: features are written into <see cref="Input"/> (for ONNX Runtime, the
/// pinned buffer behind the input tensor), <see cref="IPipelineModel.Run"/> computes, <see cref="IPipelineModel.Output"/>
/// holds the result until the next run.
/// </summary>
public interface IWindowModel : IPipelineModel
{
    Span<float> Input { get; }
}
