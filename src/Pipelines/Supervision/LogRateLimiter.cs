using System.Diagnostics;

namespace EdgeAgent.Pipelines.Supervision;

/// <summary>
/// Lets at most <c>burst</c> messages through per window and counts the rest, for every message that can repeat at
/// any rate (a corrupt stream's warning per frame, a bad input per sample, a checkpoint failing at each cadence, a
/// disk flipping between full and not): the counters say how many, the log says that it happens, without flooding
/// the journal or wearing the SD card. Thread-safe.
/// </summary>
internal sealed class LogRateLimiter
{
    private readonly int _burst;
    private readonly long _windowTicks;
    private readonly Lock _lock = new();
    private long _windowStart;
    private int _inWindow;
    private long _suppressed;

    public LogRateLimiter(int burst, TimeSpan window)
    {
        _burst = burst;
        _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
        _windowStart = Stopwatch.GetTimestamp() - _windowTicks;
    }

    public long TotalSuppressed { get; private set; }

    /// <summary>True when a message may be logged now.</summary>
    public bool TryAcquire() => TryAcquire(Stopwatch.GetTimestamp(), out _);

    /// <summary>Whether a message now would be let through, claiming nothing: to skip formatting one that would not be.</summary>
    public bool WouldAcquire()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            return now - _windowStart >= _windowTicks || _inWindow < _burst;
        }
    }

    /// <summary>True when this message may be logged; <paramref name="suppressedBefore"/> is how many were dropped since the last one let through.</summary>
    public bool TryAcquire(long now, out long suppressedBefore)
    {
        lock (_lock)
        {
            if (now - _windowStart >= _windowTicks)
            {
                _windowStart = now;
                _inWindow = 0;
            }

            if (_inWindow < _burst)
            {
                _inWindow++;
                suppressedBefore = _suppressed;
                _suppressed = 0;
                return true;
            }

            _suppressed++;
            TotalSuppressed++;
            suppressedBefore = 0;
            return false;
        }
    }
}
