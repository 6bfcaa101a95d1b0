namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>What ORT reports for one input or output: dims are -1 where dynamic; symbols name them when the model does.</summary>
internal sealed record TensorSignature(string Name, bool IsTensor, TensorElementType ElementType, long[] Dimensions, string?[] Symbols);
