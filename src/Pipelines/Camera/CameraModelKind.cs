using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// What is particular to a camera pipeline's model slot: an image tensor in, which a candidate must take exactly as
/// the pipeline's preprocessing writes it (size, layout, element type, the camera's channels), and an output of the
/// shape the pipeline's scorer reads.
/// </summary>
/// <param name="pipeline">The live pipeline (its scorer kind for shadows); null for a candidate checked outside any pipeline.</param>
public sealed class CameraModelKind(CameraPipeline? pipeline) : IModelKind<CameraModel>
{
    public string Unit => "frames";

    public CameraModel Load(InferenceRuntime runtime, PipelineOptions options, string modelPath)
    {
        var session = runtime.LoadModel(modelPath, new ModelLoadOptions { IntraOpThreads = options.Model.IntraOpThreads });
        try
        {
            return new CameraModel(session, options.Model.Input, options.Model.Output, CameraPipelineFactory.CameraOf(options).Channels);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public string? Fit(CameraModel candidate, CameraModel active)
    {
        if (candidate.Width != active.Width || candidate.Height != active.Height || candidate.Layout != active.Layout ||
            candidate.Channels != active.Channels || candidate.ByteInput != active.ByteInput)
        {
            return $"its input {candidate.InputTensor} does not fit the pipeline's preprocessing, which writes {active.InputTensor} " +
                   $"({active.Width}x{active.Height}, {active.Layout}, {(active.ByteInput ? "uint8" : "float32")})";
        }

        return candidate.OutputTensor.Shape.SequenceEqual(active.OutputTensor.Shape)
            ? null
            : $"its output {candidate.OutputTensor} differs from the output {active.OutputTensor} the pipeline's scorer reads";
    }

    public Span<byte> Input(CameraModel model) => model.InputTensor.AsBytes();

    public long InputLength(CameraModel model) => model.InputTensor.ElementCount;

    public void WriteInput(CameraModel model, ReadOnlySpan<float> values)
    {
        if (!model.ByteInput)
        {
            values.CopyTo(model.FloatInput);
            return;
        }

        var input = model.ByteInputSpan;
        for (var i = 0; i < values.Length; i++)
        {
            input[i] = (byte)Math.Clamp(MathF.Round(values[i]), 0, 255);
        }
    }

    /// <summary>The candidate gets the frame exactly as preprocessed for the active model (the fit is checked) and a scorer of its own.</summary>
    public ModelShadow<CameraModel> CreateShadow(CameraModel candidate, double raiseThreshold, ServingManifest? manifest, PipelineOptions options)
    {
        var scorer = (pipeline ?? throw new InvalidOperationException("a shadow needs the live pipeline")).CreateScorer();
        return new ModelShadow<CameraModel>(candidate, static (a, c) => a.InputTensor.AsBytes().CopyTo(c.InputTensor.AsBytes()),
            m => scorer.Score(default, m.Output), raiseThreshold);
    }
}
