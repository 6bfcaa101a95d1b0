namespace EdgeAgent.Pipelines.Inference;

/// <summary>Per-model choices on top of the runtime's <see cref="InferenceOptions"/>.</summary>
public sealed class ModelLoadOptions
{
    /// <summary>Value for a leading dynamic dimension (the batch) that no symbol override names. Default 1.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Full shapes for inputs by name, e.g. <c>["image"] = [1, 3, 224, 224]</c>; must agree with the model's fixed dims.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; init; } = new Dictionary<string, long[]>();

    /// <summary>Values for named dynamic dimensions (ONNX dim_param), e.g. <c>["N"] = 8</c>.</summary>
    public IReadOnlyDictionary<string, long> Dimensions { get; init; } = new Dictionary<string, long>();

    /// <summary>Overrides <see cref="InferenceOptions.ExecutionProviders"/> for this model (e.g. from <c>--providers</c>).</summary>
    public IReadOnlyList<string>? ExecutionProviders { get; init; }

    /// <summary>Overrides <see cref="InferenceOptions.IntraOpThreads"/>.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>Writes ORT's JSON profile with this file prefix; end it with <see cref="ModelSession.EndProfiling"/>.</summary>
    public string? ProfilePrefix { get; init; }

    public static ModelLoadOptions Default { get; } = new();
}
