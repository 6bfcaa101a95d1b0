namespace EdgeAgent.Pipelines.Sources;

/// <summary>Why an input was rejected; each kind has its own counter per source.</summary>
public enum BadInput
{
    MalformedLine,
    NonNumeric,
    MissingField,
    NonFinite,
    TimestampBackwards,
    DuplicateTimestamp,
    BadTimestamp,
    Garbage,
    PartialLine,
    OversizedPayload,
    QueueFull,
}
