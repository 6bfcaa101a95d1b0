namespace EdgeAgent.Ota;

/// <summary>An update that must not be applied; the message says why in plain words.</summary>
public sealed class OtaRejectedException : Exception
{
    public OtaRejectedException(RejectionReason reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
    }

    public RejectionReason Reason { get; }
}
