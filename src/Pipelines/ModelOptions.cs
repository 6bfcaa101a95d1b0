using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines;

/// <summary>The model a pipeline runs. The inference engine reads <see cref="Path"/>; the rest describes how its
/// input and output relate to the feature pipeline.</summary>
public sealed class ModelOptions : IValidatedOptions
{
    [Description("Path of the ONNX model (a model.json manifest beside it supplies threshold and standardisation). Empty: the pipeline scores with the features themselves (no model).")]
    public string Path { get; set; } = string.Empty;

    [Description("Name of the model input that receives the features. Empty: the model's first input.")]
    public string Input { get; set; } = string.Empty;

    [Description("Name of the model output the scorer reads. Empty: the model's first output.")]
    public string Output { get; set; } = string.Empty;

    [Description("Threads ONNX Runtime may use inside one run of this model (shared budget with other pipelines).")]
    [Range(1, 64)]
    public int IntraOpThreads { get; set; } = 1;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Path.Length > 0 && !Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "path"), $"'{Path}' is not an .onnx file"));
        }
    }
}
