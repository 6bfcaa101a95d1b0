namespace EdgeAgent.Ota;

/// <summary>An update that must not be applied; the message says why in plain words.</summary>
public sealed class OtaRejectedException : Exception
{
    public OtaRejectedException(RejectionReason reason, string message, Exception? inner = null, bool transient = false)
        : base(message, inner)
    {
        Reason = reason;
        Transient = transient;
    }

    public RejectionReason Reason { get; }

    /// <summary>The artifact may be fine and a later attempt may succeed (network trouble, short transfer, disk full).</summary>
    public bool Transient { get; }
}
