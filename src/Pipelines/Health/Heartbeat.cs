using System.Diagnostics;

namespace EdgeAgent.Pipelines.Health;

/// <summary>
/// A loop calls <see cref="Beat"/> each time round; when it has not for <c>maxSilence</c>, it is wedged.
/// Lock-free so the hot path pays one volatile write.
/// </summary>
public sealed class Heartbeat : IHealthSource
{
    private readonly long _maxSilenceTicks;
    private long _lastBeat;
    private volatile string _summary = "starting";

    public Heartbeat(string name, TimeSpan maxSilence)
    {
        Name = name;
        _maxSilenceTicks = (long)(maxSilence.TotalSeconds * Stopwatch.Frequency);
        _lastBeat = Stopwatch.GetTimestamp();
    }

    public string Name { get; }

    public void Beat() => Volatile.Write(ref _lastBeat, Stopwatch.GetTimestamp());

    /// <summary>Changes the words shown in STATUS; call on state changes, not per sample.</summary>
    public void Describe(string summary) => _summary = summary;

    public HealthReport Check(long nowTicks)
    {
        var silentFor = nowTicks - Volatile.Read(ref _lastBeat);
        return silentFor > _maxSilenceTicks
            ? HealthReport.Unhealthy($"no progress for {silentFor / Stopwatch.Frequency}s")
            : HealthReport.Healthy(_summary);
    }
}
