using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>A calibrated PCA baseline run in C# (reference for the ONNX export, and the model of replay tests).</summary>
public sealed class BaselineWindowModel : IWindowModel
{
    private readonly BaselineReconstructor _reconstructor;
    private readonly float[] _input;
    private readonly float[] _output;

    public BaselineWindowModel(BaselineModel model)
    {
        _reconstructor = new BaselineReconstructor(model);
        _input = GC.AllocateArray<float>(model.Features, pinned: true);
        _output = GC.AllocateArray<float>(model.Features, pinned: true);
    }

    public Span<float> Input => _input;

    public ReadOnlySpan<float> Output => _output;

    public void Run() => _reconstructor.Reconstruct(_input, _output);
}
