namespace EdgeAgent.Pipelines.Processing;

/// <summary>
/// The model stage of a sensor pipeline: features are written into <see cref="Input"/> (for ONNX Runtime, the
/// pinned buffer behind the input tensor), <see cref="Run"/> computes, <see cref="Output"/> holds the result until
/// the next run. Two implementations: the reference <see cref="BaselineWindowModel"/> and, after merge, an adapter over
/// an ONNX Runtime session.
/// </summary>
public interface IWindowModel
{
    Span<float> Input { get; }

    ReadOnlySpan<float> Output { get; }

    void Run();
}
