using System.Runtime.InteropServices;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>What is particular to a sensor pipeline's model slot: feature vectors in, the live feature pipeline's length and standardisation.</summary>
public sealed class SensorModelKind(FeaturePipeline features) : IModelKind<IWindowModel>
{
    public string Unit => "windows";

    public IWindowModel Load(InferenceRuntime runtime, PipelineOptions options, string modelPath)
    {
        try
        {
            // A fresh feature pipeline: the check must not touch the live one's standardisation.
            return PipelineModelLoader.Load(runtime, options, SensorPipelineFactory.CreateFeatures(options), modelPath).Model;
        }
        catch (ModelUnusableException ex) when (ex.InnerException is ModelLoadException notAModel)
        {
            throw notAModel;
        }
        catch (ModelUnusableException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    public string? Fit(IWindowModel candidate, IWindowModel active) =>
        candidate.Input.Length != features.Length ? $"the model takes {candidate.Input.Length} input values but the feature pipeline writes {features.Length}"
        : candidate.Output.Length != active.Output.Length ? $"it yields {candidate.Output.Length} output values but the pipeline scores {active.Output.Length}"
        : null;

    public Span<byte> Input(IWindowModel model) => MemoryMarshal.AsBytes(model.Input);

    public long InputLength(IWindowModel model) => model.Input.Length;

    public void WriteInput(IWindowModel model, ReadOnlySpan<float> values) => values.CopyTo(model.Input);

    /// <summary>
    /// The candidate's input is the active one's, re-standardised with the candidate's own mean/std when its manifest
    /// brings other ones; it is scored by a scorer of its own (scorers keep per-window scratch state).
    /// </summary>
    public ModelShadow<IWindowModel> CreateShadow(IWindowModel candidate, double raiseThreshold, ServingManifest? manifest, PipelineOptions options)
    {
        var scorer = SensorPipelineFactory.CreateScorer(options.Scorer, features);
        return new ModelShadow<IWindowModel>(candidate, Copy(candidate.Input.Length, manifest), m => scorer.Score(m.Input, m.Output), raiseThreshold);
    }

    private ModelShadow<IWindowModel>.InputCopy Copy(int length, ServingManifest? manifest)
    {
        if (features.Standardization is not { Expected: > 0 } active || manifest?.Mean is not { } mean || manifest.Std is not { } std || mean.Count != active.Expected)
        {
            return static (a, c) => a.Input.CopyTo(c.Input);
        }

        // x_active = (raw - m_a) / s_a, x_candidate = (raw - m_c) / s_c  ⇒  x_candidate = x_active · s_a/s_c + (m_a - m_c)/s_c.
        var scale = GC.AllocateArray<float>(length, pinned: true);
        var offset = GC.AllocateArray<float>(length, pinned: true);
        scale.AsSpan().Fill(1);
        var identity = true;
        for (var i = 0; i < active.Expected; i++)
        {
            var activeStd = 1.0 / active.InverseStd[i];
            scale[i] = (float)(activeStd / std[i]);
            offset[i] = (float)((active.Mean[i] - mean[i]) / std[i]);
            identity &= Math.Abs(scale[i] - 1) < 1e-6 && Math.Abs(offset[i]) < 1e-6;
        }

        // The same standardisation (a retrained model on the same calibration data): the features as they are.
        if (identity)
        {
            return static (a, c) => a.Input.CopyTo(c.Input);
        }

        return (a, c) =>
        {
            var from = a.Input;
            var input = c.Input;
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (from[i] * scale[i]) + offset[i];
            }
        };
    }
}
