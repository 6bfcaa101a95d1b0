namespace EdgeAgent.Pipelines.Health;

/// <summary>One component's state and a few words for STATUS and telemetry.</summary>
public readonly record struct HealthReport(HealthState State, string Summary)
{
    public static HealthReport Healthy(string summary) => new(HealthState.Healthy, summary);

    public static HealthReport Degraded(string summary) => new(HealthState.Degraded, summary);

    public static HealthReport Unhealthy(string summary) => new(HealthState.Unhealthy, summary);
}
