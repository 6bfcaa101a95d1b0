using System.Diagnostics;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Lets at most <c>burst</c> messages through per window and counts the rest, so a camera that spams warnings
/// (a corrupt stream logs one per frame) cannot flood the journal or wear the SD card.
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
