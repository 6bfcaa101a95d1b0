using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>
/// A sensor pipeline's model stage over an ONNX Runtime session: features go straight into the pinned buffer
/// behind the input tensor, the scorer reads the output tensor's buffer. Nothing is copied or allocated per window.
/// </summary>
public sealed class OnnxWindowModel : IWindowModel, IDisposable
{
    private readonly ModelSession _session;
    private readonly TensorBuffer _input;
    private readonly TensorBuffer _output;

    /// <param name="inputName">Empty: the model's first input.</param>
    /// <param name="outputName">Empty: the model's first output.</param>
    public OnnxWindowModel(ModelSession session, string inputName, string outputName)
    {
        _session = session;
        _input = Pick(session, session.Inputs, inputName, "input");
        _output = Pick(session, session.Outputs, outputName, "output");
    }

    public ModelSession Session => _session;

    public Span<float> Input => _input.AsSpan<float>();

    public ReadOnlySpan<float> Output => _output.AsSpan<float>();

    public void Run() => _session.Run();

    public void Dispose() => _session.Dispose();

    private static TensorBuffer Pick(ModelSession session, IReadOnlyList<TensorBuffer> tensors, string name, string what)
    {
        var tensor = name.Length == 0
            ? tensors.Count > 0 ? tensors[0] : throw new InvalidDataException($"{session.Path} has no {what}")
            : tensors.FirstOrDefault(t => t.Name == name)
              ?? throw new InvalidDataException($"{session.Path} has no {what} named '{name}' (it has: {string.Join(", ", tensors.Select(t => t.Name))})");
        if (tensor.ElementType != TensorElementType.Float)
        {
            throw new InvalidDataException($"{session.Path}: {what} {tensor} must be float32 for a sensor pipeline");
        }

        return tensor;
    }
}
