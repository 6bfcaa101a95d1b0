namespace EdgeAgent.Mqtt;

/// <summary>Exponential backoff with jitter: the n-th delay is drawn from [d/2, d] with d = min·2ⁿ capped at max.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private int _failures;

    public Backoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
    }

    public TimeSpan Next()
    {
        var ceiling = Math.Min(_max.TotalMilliseconds, _min.TotalMilliseconds * Math.Pow(2, Math.Min(_failures, 30)));
        _failures++;
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
    }

    /// <summary>The longest delay (with jitter): for failures that retrying soon cannot fix (refused credentials).</summary>
    public TimeSpan Longest()
    {
        _failures = 31;
        return Next();
    }

    public void Reset() => _failures = 0;
}
