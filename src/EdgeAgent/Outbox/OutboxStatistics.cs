namespace EdgeAgent.Outbox;

/// <summary>
/// A snapshot of the outbox for telemetry, STATUS and <c>outbox stats</c>. While the disk is full: <see cref="Held"/>
/// messages wait in memory, <see cref="Unpersisted"/> were accepted without the file since start,
/// <see cref="DeliveredUnpersisted"/> of them reached the broker from memory, <see cref="HeldDropped"/> were dropped
/// because the memory bound was reached.
/// </summary>
public readonly record struct OutboxStatistics(
    long Depth,
    long Bytes,
    long OldestTimestampMs,
    long Dropped,
    long Rejected,
    long InFlight,
    long Accepted,
    long Delivered,
    bool DiskFull = false,
    long Held = 0,
    long HeldBytes = 0,
    long Unpersisted = 0,
    long DeliveredUnpersisted = 0,
    long HeldDropped = 0)
{
    /// <summary>The persistence state for telemetry, STATUS and metrics: <c>ok</c>, or <c>disk_full</c> while messages are held in memory.</summary>
    public string Persistence => DiskFull ? "disk_full" : "ok";

    public double OldestAgeSeconds(long nowMs) => OldestTimestampMs == 0 ? 0 : Math.Max(0, (nowMs - OldestTimestampMs) / 1000.0);
}
