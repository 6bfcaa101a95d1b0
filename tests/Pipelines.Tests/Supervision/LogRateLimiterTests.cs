using System.Diagnostics;
using EdgeAgent.Pipelines.Supervision;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Supervision;

public sealed class LogRateLimiterTests
{
    [Fact]
    public void A_burst_passes_the_rest_is_counted_and_reported_with_the_next_window()
    {
        var limiter = new LogRateLimiter(burst: 3, TimeSpan.FromSeconds(60));
        var now = Stopwatch.GetTimestamp();

        var passed = Enumerable.Range(0, 10).Count(i => limiter.TryAcquire(now, out _));
        var nextWindow = limiter.TryAcquire(now + (61 * Stopwatch.Frequency), out var suppressed);

        passed.Should().Be(3);
        nextWindow.Should().BeTrue();
        suppressed.Should().Be(7);
        limiter.TotalSuppressed.Should().Be(7);
    }

    [Fact]
    public void Once_per_interval_the_first_message_passes_at_once_and_a_peek_claims_nothing()
    {
        // burst 1 is how the sources, the MQTT inbound path and the outbox use it; the first line must not wait for
        // an interval to pass (a device that has just booted has a small Stopwatch timestamp).
        var limiter = new LogRateLimiter(burst: 1, TimeSpan.FromMinutes(1));

        limiter.WouldAcquire().Should().BeTrue();
        limiter.WouldAcquire().Should().BeTrue("a peek claims nothing");
        limiter.TryAcquire().Should().BeTrue();
        limiter.WouldAcquire().Should().BeFalse();
        limiter.TryAcquire().Should().BeFalse();
        limiter.TotalSuppressed.Should().Be(1);
    }
}
