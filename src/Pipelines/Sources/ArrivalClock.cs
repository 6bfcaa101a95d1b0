namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// The arrival time of samples from sources without a timestamp of their own: UTC that never goes backwards.
/// It advances with the monotonic clock from the last wall-clock reading it trusted; a wall clock stepped forward
/// (NTP after boot on a board without an RTC) is followed at once, one stepped back is not (the monotonic time goes
/// on), so a clock step never makes every new sample "backwards" and silences the pipeline.
/// </summary>
public sealed class ArrivalClock
{
    // A forward step smaller than this is ordinary drift between the two clocks, not worth a jump.
    private static readonly long ForwardStepTicks = TimeSpan.FromSeconds(1).Ticks;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _anchorUtcTicks;
    private long _anchorTimestamp;

    public ArrivalClock(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _anchorUtcTicks = _time.GetUtcNow().UtcTicks;
        _anchorTimestamp = _time.GetTimestamp();
    }

    public long UtcTicks()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var monotonic = _anchorUtcTicks + (long)((now - _anchorTimestamp) * ((double)TimeSpan.TicksPerSecond / _time.TimestampFrequency));
            var wall = _time.GetUtcNow().UtcTicks;
            if (wall > monotonic + ForwardStepTicks)
            {
                _anchorUtcTicks = wall;
                _anchorTimestamp = now;
                return wall;
            }

            return monotonic;
        }
    }
}
