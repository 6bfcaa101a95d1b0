namespace EdgeAgent.Pipelines.Sources;

/// <summary>Why an input was rejected; each kind has its own counter per source.</summary>
public enum BadInput
{
    MalformedLine,
    NonNumeric,
    MissingField,
    NonFinite,
    TimestampBackwards,

    /// <summary>A record's own timestamp is beyond the device's clock plus the source's tolerance.</summary>
    TimestampInFuture,
    DuplicateTimestamp,
    BadTimestamp,
    Garbage,
    PartialLine,
    OversizedPayload,
    QueueFull,
}
