namespace EdgeAgent.Mqtt.Native;

/// <summary>A libmosquitto call failed; <see cref="Code"/> is its <c>MOSQ_ERR_*</c> value.</summary>
public sealed class MosquittoException : Exception
{
    internal MosquittoException(string message, int code)
        : base(message)
    {
        Code = code;
    }

    public int Code { get; }
}
