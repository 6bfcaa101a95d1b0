namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// What a model declares, read from its graph without running it: inputs, outputs (dynamic dims as -1, with their
/// symbolic names in the declared shape), metadata, and the providers a session would use. What <c>models inspect</c>
/// shows: a model whose dynamic dims cannot all be 1 (Silero VAD's [batch, samples]) is still described.
/// </summary>
public sealed record ModelDescription(
    string Path,
    ModelMetadata Metadata,
    IReadOnlyList<TensorDescription> Inputs,
    IReadOnlyList<TensorDescription> Outputs,
    IReadOnlyList<string> Providers);

/// <param name="Dimensions">As declared: -1 for a dynamic dimension.</param>
public sealed record TensorDescription(string Name, TensorElementType ElementType, string DeclaredShape, IReadOnlyList<long> Dimensions);
