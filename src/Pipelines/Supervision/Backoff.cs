namespace EdgeAgent.Pipelines.Supervision;

/// <summary>How a backoff delay is spread around its nominal value.</summary>
public enum BackoffJitter
{
    /// <summary>Exactly the nominal delay.</summary>
    None,

    /// <summary>"Equal jitter": half the delay fixed, half random, from [d/2, d].</summary>
    Equal,

    /// <summary>±20% around the delay, from [0.8·d, 1.2·d].</summary>
    TwentyPercent,
}

/// <summary>
/// The one backoff policy of the agent's supervision loops (MQTT reconnect, source reopen, ffmpeg restart, failed
/// pipeline rebuild): after n failures in a row the nominal delay is first·2ⁿ capped at max, spread by jitter so
/// that devices or cameras that fail together do not retry in lockstep.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan max, BackoffJitter jitter, Random? random = null)
{
    /// <summary>Doublings beyond this always hit the cap (and cannot overflow).</summary>
    private const int MaxDoublings = 30;

    private readonly Random _random = random ?? Random.Shared;
    private int _failures;

    /// <summary>The delay before the next attempt; each call counts one more failure.</summary>
    public TimeSpan Next()
    {
        var delay = Delay(_failures, first, max, jitter, _random);
        _failures = Math.Min(_failures + 1, MaxDoublings + 1);
        return delay;
    }

    /// <summary>The longest delay (with jitter): for failures that retrying soon cannot fix (refused credentials).</summary>
    public TimeSpan Longest()
    {
        _failures = MaxDoublings + 1;
        return Delay(_failures, first, max, jitter, _random);
    }

    /// <summary>After a success: the next delay is the first again.</summary>
    public void Reset() => _failures = 0;

    /// <summary>The delay after <paramref name="failures"/> failures in a row (0 or less: the first delay).</summary>
    public static TimeSpan Delay(int failures, TimeSpan first, TimeSpan max, BackoffJitter jitter, Random random)
    {
        var ceiling = Math.Min(max.Ticks, first.Ticks * Math.Pow(2, Math.Clamp(failures, 0, MaxDoublings)));
        return TimeSpan.FromTicks((long)(jitter switch
        {
            BackoffJitter.Equal => (ceiling / 2) + (random.NextDouble() * ceiling / 2),
            BackoffJitter.TwentyPercent => ceiling * (0.8 + (0.4 * random.NextDouble())),
            _ => ceiling,
        }));
    }
}
