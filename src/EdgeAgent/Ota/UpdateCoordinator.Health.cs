using System.Diagnostics;
using EdgeAgent.Pipelines.Health;

namespace EdgeAgent.Ota;

/// <summary>
/// OTA's own progress is part of the agent's health: an update that stays on one request longer than the sum of its
/// steps' deadlines (download, swap, shadow, watch, with a margin) is stuck (a run that never ends, a swap never
/// taken), and the agent is not "healthy" then: Unhealthy withholds the systemd watchdog, whose restart finds the
/// crash-loop breaker's marker and refuses that model for good.
/// </summary>
public sealed partial class UpdateCoordinator : IHealthSource
{
    private long _busySinceTicks;
    private string? _busyWith;

    public string Name => "ota";

    /// <summary>How long one request may take before OTA is reported stuck (set from the options at registration).</summary>
    public TimeSpan StuckAfter { get; init; } = TimeSpan.FromMinutes(30);

    public HealthReport Check(long nowTicks)
    {
        var since = Volatile.Read(ref _busySinceTicks);
        var with = Volatile.Read(ref _busyWith);
        if (since == 0 || with is null)
        {
            return HealthReport.Healthy(Faults == 0 ? "idle" : $"idle; {Faults} internal error(s) since start");
        }

        var busy = Stopwatch.GetElapsedTime(since, nowTicks);
        return busy > StuckAfter
            ? HealthReport.Unhealthy($"update from {with} stuck for {busy.TotalSeconds:0} s (bound {StuckAfter.TotalSeconds:0} s)")
            : HealthReport.Healthy($"updating ({with}, {busy.TotalSeconds:0} s)");
    }

    private void MarkBusy(UpdateRequest? request)
    {
        Volatile.Write(ref _busyWith, request?.Origin);
        Volatile.Write(ref _busySinceTicks, request is null ? 0 : Stopwatch.GetTimestamp());
    }

    /// <summary>The longest one request can legitimately take with these options.</summary>
    public static TimeSpan StuckBound(OtaOptions ota, TimeSpan downloadTimeout, TimeSpan validationTimeout) =>
        downloadTimeout + validationTimeout + TimeSpan.FromSeconds((2 * ota.SwapTimeoutSeconds) + ota.HealthWatchSeconds +
            (ota.Shadow.Seconds > 0 ? Math.Max(ota.Shadow.Seconds, ota.Shadow.MaxSeconds) : 0)) + TimeSpan.FromMinutes(2);
}
