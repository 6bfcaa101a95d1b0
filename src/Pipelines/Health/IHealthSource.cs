namespace EdgeAgent.Pipelines.Health;

/// <summary>Something whose health the watchdog loop asks for; must be cheap and must not block.</summary>
public interface IHealthSource
{
    string Name { get; }

    HealthReport Check(long nowTicks);
}
