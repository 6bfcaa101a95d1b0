using EdgeAgent.Pipelines.Camera;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class RestartBackoffTests
{
    [Fact]
    public void Delay_doubles_per_failure_up_to_the_maximum_with_up_to_half_of_it_random()
    {
        var random = new Random(5);
        for (var failures = 1; failures <= 40; failures++)
        {
            var ceiling = Math.Min(60, 1 * Math.Pow(2, failures - 1));
            var delays = Enumerable.Range(0, 50).Select(_ => RestartBackoff.Delay(failures, 1, 60, random).TotalSeconds).ToList();

            delays.Should().OnlyContain(d => d >= ceiling / 2 && d <= ceiling, $"after {failures} failures");
            delays.Distinct().Count().Should().BeGreaterThan(1, "jitter spreads cameras that fail together");
        }

        RestartBackoff.Delay(int.MaxValue, 1, 60, random).TotalSeconds.Should().BeInRange(30, 60);
    }
}
