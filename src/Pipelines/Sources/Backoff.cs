namespace EdgeAgent.Pipelines.Sources;

/// <summary>Delays between reopen attempts: 0.5 s doubling up to a limit, with ±20% jitter so that many devices
/// behind one hub do not retry in lockstep.</summary>
internal sealed class Backoff
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    private readonly TimeSpan _max;
    private TimeSpan _next = First;

    public Backoff(TimeSpan max)
    {
        _max = max < First ? First : max;
    }

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));
        var jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
        return TimeSpan.FromTicks((long)(current.Ticks * jitter));
    }

    public void Reset() => _next = First;
}
