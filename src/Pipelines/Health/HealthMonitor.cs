using System.Diagnostics;

namespace EdgeAgent.Pipelines.Health;

/// <summary>The registry of health sources, read by the watchdog loop, STATUS and telemetry.</summary>
public sealed class HealthMonitor
{
    private readonly Lock _lock = new();
    private readonly List<IHealthSource> _sources = [];

    public void Register(IHealthSource source)
    {
        lock (_lock)
        {
            _sources.Add(source);
        }
    }

    public void Unregister(IHealthSource source)
    {
        lock (_lock)
        {
            _sources.Remove(source);
        }
    }

    public IReadOnlyList<(string Name, HealthReport Report)> CheckAll()
    {
        IHealthSource[] sources;
        lock (_lock)
        {
            sources = [.. _sources];
        }

        var now = Stopwatch.GetTimestamp();
        return sources.Select(s => (s.Name, s.Check(now))).ToList();
    }

    public static HealthState Overall(IReadOnlyList<(string Name, HealthReport Report)> reports) =>
        reports.Count == 0 ? HealthState.Healthy : reports.Max(r => r.Report.State);

    /// <summary>One line for systemd STATUS: the worst state first, then each component's words.</summary>
    public static string Summarize(IReadOnlyList<(string Name, HealthReport Report)> reports)
    {
        var overall = Overall(reports).ToString().ToLowerInvariant();
        return reports.Count == 0
            ? overall
            : $"{overall}; " + string.Join("; ", reports.Select(r => $"{r.Name}: {r.Report.Summary}"));
    }
}
