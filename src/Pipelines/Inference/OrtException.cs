namespace EdgeAgent.Pipelines.Inference;

/// <summary>An ONNX Runtime call failed; carries ORT's own code and message.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public OrtErrorCode Code { get; }
}
