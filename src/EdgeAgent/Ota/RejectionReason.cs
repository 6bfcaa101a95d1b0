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
}
