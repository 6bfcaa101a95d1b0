namespace EdgeAgent.Pipelines.Inference;

/// <summary>The ONNX file's top-level fields ORT's metadata API does not expose.</summary>
public sealed record ModelHeader(long IrVersion, string Producer, string ProducerVersion, IReadOnlyDictionary<string, long> Opsets);
