namespace EdgeAgent.Pipelines.Inference;

/// <summary>What a model says about itself: ONNX header fields read from the file and ORT's metadata.</summary>
public sealed record ModelMetadata(
    long IrVersion,
    IReadOnlyDictionary<string, long> Opsets,
    string Producer,
    string ProducerVersion,
    string GraphName,
    string Domain,
    string Description,
    long ModelVersion,
    IReadOnlyDictionary<string, string> Properties);
