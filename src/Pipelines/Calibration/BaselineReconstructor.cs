namespace EdgeAgent.Pipelines.Calibration;

/// <summary>
/// The reference implementation of a <see cref="BaselineModel"/> in C#: what the exported ONNX graph must compute.
/// Input: standardised features; output: their reconstruction. Allocates nothing per call.
/// </summary>
public sealed class BaselineReconstructor
{
    private readonly BaselineModel _model;
    private readonly double[] _coefficients;

    public BaselineReconstructor(BaselineModel model)
    {
        _model = model;
        _coefficients = new double[model.ComponentCount];
    }

    public void Reconstruct(ReadOnlySpan<float> standardized, Span<float> output)
    {
        var d = _model.Features;
        var w = _model.Components;
        for (var k = 0; k < _coefficients.Length; k++)
        {
            double sum = 0;
            for (var i = 0; i < d; i++)
            {
                sum += w[(k * d) + i] * standardized[i];
            }

            _coefficients[k] = Math.Clamp(sum, _model.CoefficientMin[k], _model.CoefficientMax[k]);
        }

        for (var i = 0; i < d; i++)
        {
            double sum = 0;
            for (var k = 0; k < _coefficients.Length; k++)
            {
                sum += _coefficients[k] * w[(k * d) + i];
            }

            output[i] = (float)sum;
        }
    }
}
