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

    /// <summary>A chip reported a value it cannot physically produce (outside its datasheet range).</summary>
    Implausible,

    /// <summary>A chip returned the same reading bit for bit too many times in a row.</summary>
    Stuck,

    /// <summary>A chip delivered no value this time (measurement skipped, conversion not ready).</summary>
    NoReading,
}
