using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Preprocessing;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// A camera pipeline's model: an ONNX session whose input is an image tensor ([1, C, H, W] or [1, H, W, C],
/// float32 or uint8, C matching the camera's pixel format). The preprocessor writes each frame straight into the
/// pinned buffer behind that input; nothing is copied or allocated per frame.
/// </summary>
public sealed class CameraModel : Models.IPipelineModel, IDisposable
{
    private readonly ModelSession _session;
    private readonly TensorBuffer _input;
    private readonly TensorBuffer _output;
    private readonly TensorBuffer? _patches;

    /// <param name="inputName">Empty: the model's first input.</param>
    /// <param name="outputName">Empty: the model's first output.</param>
    /// <exception cref="InvalidDataException">The input is not an image tensor this camera can fill.</exception>
    public CameraModel(ModelSession session, string inputName, string outputName, int channels)
    {
        _session = session;
        _input = Pick(session, session.Inputs, inputName, "input");
        _output = Pick(session, session.Outputs, outputName, "output");
        if (_output.ElementType != TensorElementType.Float)
        {
            throw new InvalidDataException($"{session.Path}: output {_output} must be float32 for a camera pipeline");
        }

        // The scene model's per-patch scores ([1, 1, rows, columns]), read only at anomaly_start to mark the snapshot.
        _patches = session.Outputs.FirstOrDefault(t => t.Name == PatchesOutput && t.ElementType == TensorElementType.Float && t.Shape.Length == 4 && t != _output);
        var shape = _input.Shape;
        var channelFirst = shape.Length == 4 && shape[1] is 1 or 3 && shape[3] is not (1 or 3);
        var channelLast = shape.Length == 4 && shape[3] is 1 or 3;
        if (shape.Length != 4 || shape[0] != 1 || !(channelFirst || channelLast) ||
            _input.ElementType is not (TensorElementType.Float or TensorElementType.UInt8))
        {
            throw new InvalidDataException(
                $"{session.Path}: input {_input} is not an image tensor; a camera pipeline needs float32 or uint8 [1, C, H, W] or [1, H, W, C] with C = 1 or 3");
        }

        Layout = channelFirst ? TensorLayout.Nchw : TensorLayout.Nhwc;
        Channels = (int)(channelFirst ? shape[1] : shape[3]);
        Height = (int)(channelFirst ? shape[2] : shape[1]);
        Width = (int)(channelFirst ? shape[3] : shape[2]);
        if (Channels != channels)
        {
            throw new InvalidDataException(
                $"{session.Path}: input {_input} takes {Channels} channel(s) but the camera delivers {channels}; set camera.pixelFormat to {(Channels == 1 ? "gray" : "rgb24 or bgr24")}");
        }
    }

    /// <summary>The output name under which a scene model reports each patch's score.</summary>
    public const string PatchesOutput = "patches";

    public ModelSession Session => _session;

    /// <summary>Per-patch scores of the last frame (scene models), or null.</summary>
    public TensorBuffer? Patches => _patches;

    public int PatchesX => _patches is null ? 0 : (int)_patches.Shape[3];

    public int PatchesY => _patches is null ? 0 : (int)_patches.Shape[2];

    public TensorLayout Layout { get; }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    /// <summary>Quantized models take the camera's bytes unchanged.</summary>
    public bool ByteInput => _input.ElementType == TensorElementType.UInt8;

    public TensorBuffer InputTensor => _input;

    public TensorBuffer OutputTensor => _output;

    public Span<float> FloatInput => _input.AsSpan<float>();

    public Span<byte> ByteInputSpan => _input.AsSpan<byte>();

    public ReadOnlySpan<float> Output => _output.AsSpan<float>();

    public void Run() => _session.Run();

    public void Dispose() => _session.Dispose();

    private static TensorBuffer Pick(ModelSession session, IReadOnlyList<TensorBuffer> tensors, string name, string what) =>
        name.Length == 0
            ? tensors.Count > 0 ? tensors[0] : throw new InvalidDataException($"{session.Path} has no {what}")
            : tensors.FirstOrDefault(t => t.Name == name)
              ?? throw new InvalidDataException($"{session.Path} has no {what} named '{name}' (it has: {string.Join(", ", tensors.Select(t => t.Name))})");
}
