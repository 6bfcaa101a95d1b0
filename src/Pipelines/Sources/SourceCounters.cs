using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>Per-source counts for telemetry and tests. Written by the source's loop, read from anywhere.</summary>
public sealed class SourceCounters
{
    private readonly long[] _bad = new long[Enum.GetValues<BadInput>().Length];
    private long _samples;
    private long _deviceLost;
    private long _deviceBack;
    private long _readErrors;
    private long _lastSampleStamp;
    private long _lastBadStamp;
    private int _lastBadKind = -1;

    /// <summary>Stopwatch time of the last accepted sample; 0 before the first.</summary>
    public long LastSampleStamp => Volatile.Read(ref _lastSampleStamp);

    /// <summary>Stopwatch time of the last rejected input; 0 before the first.</summary>
    public long LastBadStamp => Volatile.Read(ref _lastBadStamp);

    /// <summary>Why the last input was rejected, or null when none was.</summary>
    public BadInput? LastBadKind => Volatile.Read(ref _lastBadKind) is var kind and >= 0 ? (BadInput)kind : null;

    public long Samples => Interlocked.Read(ref _samples);

    /// <summary>Times the device or file went away (each outage counts once, however long it lasts).</summary>
    public long DeviceLost => Interlocked.Read(ref _deviceLost);

    public long DeviceBack => Interlocked.Read(ref _deviceBack);

    /// <summary>Failed read attempts, including every retry during an outage.</summary>
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    public long TotalBad
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _bad.Length; i++)
            {
                total += Interlocked.Read(ref _bad[i]);
            }

            return total;
        }
    }

    public long this[BadInput kind] => Interlocked.Read(ref _bad[(int)kind]);

    /// <summary>
    /// What was rejected, by reason, under the names telemetry's badInputByReason, replay and evaluate give them
    /// (e.g. timestampInFuture); reasons with nothing rejected are left out. Not for a hot path.
    /// </summary>
    public IEnumerable<(string Reason, long Count)> RejectionsByReason() =>
        Enum.GetValues<BadInput>().Select(kind => (ConfigPath.CamelCase(kind.ToString()), this[kind])).Where(reason => reason.Item2 > 0);

    /// <summary>What was rejected, by reason (e.g. "11 duplicate timestamp, 1 timestamp backwards"); empty when nothing was.</summary>
    public string DescribeRejections() => string.Join(", ", Enum.GetValues<BadInput>()
        .Where(kind => this[kind] > 0)
        .Select(kind => $"{this[kind]} {System.Text.RegularExpressions.Regex.Replace(kind.ToString(), "(?<=[a-z])([A-Z])", " $1").ToLowerInvariant()}"));

    internal void AddSample()
    {
        Interlocked.Increment(ref _samples);
        Volatile.Write(ref _lastSampleStamp, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    internal long AddBad(BadInput kind)
    {
        Volatile.Write(ref _lastBadKind, (int)kind);
        Volatile.Write(ref _lastBadStamp, System.Diagnostics.Stopwatch.GetTimestamp());
        return Interlocked.Increment(ref _bad[(int)kind]);
    }

    internal void AddDeviceLost() => Interlocked.Increment(ref _deviceLost);

    internal void AddDeviceBack() => Interlocked.Increment(ref _deviceBack);

    internal void AddReadError() => Interlocked.Increment(ref _readErrors);
}
