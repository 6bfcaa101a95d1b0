using EdgeAgent.Pipelines.Alerts;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Alerts;

public sealed class ScoreLikelihoodTests
{
    private static double Noise(int i) => 1 + (0.1 * Math.Sin(i * 12.9898));

    [Fact]
    public void Warm_up_judges_nothing_then_a_jump_stands_out()
    {
        var likelihood = new ScoreLikelihood(new AdaptiveOptions { Enabled = true, RecentWindows = 1, WarmupWindows = 50, HistoryWindows = 1000 });
        for (var i = 0; i < 50; i++)
        {
            likelihood.Judge(Noise(i)).Should().Be(0);
        }

        for (var i = 50; i < 500; i++)
        {
            likelihood.Judge(Noise(i)).Should().BeLessThan(4);
        }

        likelihood.Judge(10).Should().BeGreaterThan(10, "ten times the usual score is far outside its spread");
    }

    [Fact]
    public void After_a_drift_the_new_level_becomes_the_usual_and_stops_standing_out()
    {
        var likelihood = new ScoreLikelihood(new AdaptiveOptions { Enabled = true, RecentWindows = 5, WarmupWindows = 50, HistoryWindows = 200 });
        for (var i = 0; i < 500; i++)
        {
            likelihood.Judge(Noise(i));
        }

        var first = 0.0;
        var last = 0.0;
        for (var i = 500; i < 2500; i++)
        {
            var z = likelihood.Judge(3 * Noise(i));
            first = i == 505 ? z : first;
            last = z;
        }

        first.Should().BeGreaterThan(4, "the drift is unusual when it starts");
        last.Should().BeLessThan(2, "two thousand windows later it is what the model usually scores");
    }

    [Fact]
    public void Without_logarithm_negative_scores_are_judged_as_they_are()
    {
        var likelihood = new ScoreLikelihood(new AdaptiveOptions { Enabled = true, RecentWindows = 1, WarmupWindows = 20, HistoryWindows = 100, Logarithm = false });
        for (var i = 0; i < 200; i++)
        {
            likelihood.Judge(Noise(i) - 5);
        }

        likelihood.Judge(-10).Should().BeLessThan(-10);
    }
}
