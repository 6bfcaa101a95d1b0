namespace EdgeAgent.Outbox;

/// <summary>A snapshot of the outbox for telemetry, STATUS and <c>outbox stats</c>.</summary>
public readonly record struct OutboxStatistics(
    long Depth,
    long Bytes,
    long OldestTimestampMs,
    long Dropped,
    long Rejected,
    long InFlight,
    long Accepted,
    long Delivered)
{
    public double OldestAgeSeconds(long nowMs) => OldestTimestampMs == 0 ? 0 : Math.Max(0, (nowMs - OldestTimestampMs) / 1000.0);
}
