namespace EdgeAgent.Pipelines.Inference.Native;

internal sealed record NativeModelMetadata(string Producer, string GraphName, string Domain, string Description, long Version, IReadOnlyDictionary<string, string> Custom);
