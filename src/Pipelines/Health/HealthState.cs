namespace EdgeAgent.Pipelines.Health;

public enum HealthState
{
    Healthy,

    /// <summary>Working with reduced service (broker unreachable, camera reconnecting); shown in STATUS, watchdog keeps pinging.</summary>
    Degraded,

    /// <summary>Wedged or broken beyond designed recovery; the watchdog stops pinging so systemd restarts the agent.</summary>
    Unhealthy,
}
