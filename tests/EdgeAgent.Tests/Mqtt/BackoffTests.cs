using EdgeAgent.Mqtt;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

public sealed class BackoffTests
{
    [Fact]
    public void Doubles_with_jitter_up_to_the_maximum_and_resets()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = Math.Min(10, Math.Pow(2, i));
            delays[i].Should().BeInRange(ceiling / 2, ceiling, $"attempt {i}");
        }

        backoff.Reset();
        backoff.Next().TotalSeconds.Should().BeInRange(0.5, 1);
        backoff.Longest().TotalSeconds.Should().BeInRange(5, 10);
    }

    [Fact]
    public void Jitter_spreads_a_fleet()
    {
        var firsts = Enumerable.Range(0, 50).Select(_ => new Backoff(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60)).Next()).Distinct().Count();
        firsts.Should().BeGreaterThan(40, "devices that lost the broker together must not come back together");
    }
}
