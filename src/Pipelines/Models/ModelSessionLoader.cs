using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Pipelines.Models;

/// <summary>A pipeline's model session at start-up, whatever the kind: a file ONNX Runtime cannot load makes the model unusable.</summary>
public static class ModelSessionLoader
{
    /// <exception cref="ModelUnusableException">The file is not a model ONNX Runtime can load.</exception>
    public static ModelSession Load(InferenceRuntime runtime, PipelineOptions options, string modelPath)
    {
        try
        {
            return runtime.LoadModel(modelPath, new ModelLoadOptions { IntraOpThreads = options.Model.IntraOpThreads });
        }
        catch (ModelLoadException ex)
        {
            throw new ModelUnusableException($"pipeline '{options.Name}': {ex.Message}", ex);
        }
    }
}
