using EdgeAgent.Pipelines.Supervision;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Supervision;

public sealed class BackoffTests
{
    [Fact]
    public void Doubles_with_jitter_up_to_the_maximum_and_resets()
    {
        // The MQTT reconnect's policy.
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), BackoffJitter.Equal);
        var delays = Enumerable.Range(0, 8).Select(_ => backoff.Next().TotalSeconds).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = Math.Min(10, Math.Pow(2, i));
            delays[i].Should().BeInRange(ceiling / 2, ceiling, $"attempt {i}");
        }

        backoff.Reset();
        backoff.Next().TotalSeconds.Should().BeInRange(0.5, 1);
        backoff.Longest().TotalSeconds.Should().BeInRange(5, 10);
        backoff.Next().TotalSeconds.Should().BeInRange(5, 10, "after the longest delay the next one stays at the cap");
    }

    [Fact]
    public void Jitter_spreads_a_fleet()
    {
        var firsts = Enumerable.Range(0, 50).Select(_ => new Backoff(TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60), BackoffJitter.Equal).Next()).Distinct().Count();
        firsts.Should().BeGreaterThan(40, "devices that lost the broker together must not come back together");
    }

    [Fact]
    public void Delay_doubles_per_failure_up_to_the_maximum_with_up_to_half_of_it_random()
    {
        // The camera restart's policy: the delay after n failures in a row.
        var random = new Random(5);
        for (var failures = 1; failures <= 40; failures++)
        {
            var ceiling = Math.Min(60, 1 * Math.Pow(2, failures - 1));
            var delays = Enumerable.Range(0, 50)
                .Select(_ => Backoff.Delay(failures - 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), BackoffJitter.Equal, random).TotalSeconds).ToList();

            delays.Should().OnlyContain(d => d >= ceiling / 2 && d <= ceiling, $"after {failures} failures");
            delays.Distinct().Count().Should().BeGreaterThan(1, "jitter spreads cameras that fail together");
        }

        Backoff.Delay(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), BackoffJitter.Equal, random).TotalSeconds.Should().BeInRange(30, 60);
    }

    [Fact]
    public void Twenty_percent_jitter_spreads_each_delay_around_its_doubling()
    {
        // The sources' reopen policy: 0.5 s doubling to the maximum, ±20%.
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), BackoffJitter.TwentyPercent, new Random(7));
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.Next().TotalSeconds).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            var nominal = Math.Min(4, 0.5 * Math.Pow(2, i));
            delays[i].Should().BeInRange(0.8 * nominal, 1.2 * nominal, $"attempt {i}");
        }

        delays.Skip(10).Distinct().Count().Should().BeGreaterThan(100, "jitter spreads devices behind one hub");
    }

    [Fact]
    public void Without_jitter_the_delays_are_exactly_the_doublings()
    {
        // The failed pipeline rebuild's policy: 5 s doubling to a minute.
        var backoff = new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1), BackoffJitter.None);
        Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalSeconds).Should().Equal(5, 10, 20, 40, 60, 60);
    }
}
