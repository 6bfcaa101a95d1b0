using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

/// <summary>
/// Arrival time for sources without timestamps (issue 17, defect 5): stepping the wall clock back an hour made every
/// new sample "backwards" until the clock was set right. The arrival clock follows monotonic time instead.
/// </summary>
public sealed class ArrivalClockTests
{
    /// <summary>A wall clock the test steps, and a monotonic clock it advances; nothing else moves.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        public DateTimeOffset Wall { get; set; } = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        public long Monotonic { get; set; } = 1_000_000;

        public override DateTimeOffset GetUtcNow() => Wall;

        public override long GetTimestamp() => Monotonic;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(TimeSpan by)
        {
            Wall += by;
            Monotonic += by.Ticks;
        }
    }

    [Fact]
    public void A_wall_clock_stepped_back_does_not_move_arrival_time_back()
    {
        var time = new SteppedTime();
        var clock = new ArrivalClock(time);
        var start = clock.UtcTicks();
        time.Advance(TimeSpan.FromSeconds(10));
        clock.UtcTicks().Should().Be(start + TimeSpan.FromSeconds(10).Ticks);

        time.Wall -= TimeSpan.FromHours(1); // an operator or a bad NTP server steps the clock back
        time.Advance(TimeSpan.FromSeconds(1));
        clock.UtcTicks().Should().Be(start + TimeSpan.FromSeconds(11).Ticks, "monotonic time goes on");
    }

    [Fact]
    public void A_wall_clock_stepped_forward_is_followed_and_time_stays_monotonic()
    {
        var time = new SteppedTime();
        var clock = new ArrivalClock(time);
        var start = clock.UtcTicks();
        time.Wall += TimeSpan.FromDays(300); // NTP sets a board without an RTC right after boot
        var synced = clock.UtcTicks();
        synced.Should().Be(start + TimeSpan.FromDays(300).Ticks);
        time.Monotonic += TimeSpan.FromSeconds(2).Ticks;
        clock.UtcTicks().Should().Be(synced + TimeSpan.FromSeconds(2).Ticks);
    }
}
