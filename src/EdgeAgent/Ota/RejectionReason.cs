namespace EdgeAgent.Ota;

/// <summary>Why an update was refused; reported in <c>models/reported</c> and explained in docs/ota.md.</summary>
public enum RejectionReason
{
    MalformedRequest,
    DownloadFailed,
    UnknownPipeline,
    UnsafeBundle,
    TooLarge,
    SizeMismatch,
    ChecksumMismatch,
    Unsigned,
    BadSignature,
    UntrustedKey,
    InvalidManifest,
    NotAModel,
    Conflict,
    DiskFull,
    SignatureMismatch,
    SmokeTestFailed,
    ShadowFailed,
    UnhealthyAfterSwap,

    /// <summary>Values no sane model has (a threshold of 1e-300, outputs of 1e8): refused before they reach a pipeline.</summary>
    Implausible,

    /// <summary>A validation run did not finish within its deadline (the child process was killed).</summary>
    ValidationTimeout,

    /// <summary>The candidate's validation crashed (its child process died, or the agent died while it was being deployed).</summary>
    CrashedValidation,

    /// <summary>One run of the candidate takes longer than the pipeline's window or frame period, or the latency bound.</summary>
    TooSlow,

    /// <summary>An error nobody foresaw; the message and the log say what it was. The previous model keeps serving.</summary>
    InternalError,
}
