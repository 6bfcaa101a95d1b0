using System.Diagnostics;
using EdgeAgent.Pipelines.Camera;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

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
}
