using System.Diagnostics;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Models;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed class ShadowVerdictTests
{
    private static readonly ShadowOptions Bounds = new() { Seconds = 60, MinWindows = 100, MaxErrorRate = 0.01, MaxLatencyRatio = 2, MaxAlertRateIncrease = 0.05 };

    /// <summary>1000 windows, both models 1 ms median and mean, no failure, 2% alert windows each.</summary>
    private static ShadowStatistics Healthy() => new(1000, 0, 0, 20, 20, Ticks(1000), Ticks(1000), Ticks(1), Ticks(1), null);

    [Fact]
    public void A_candidate_within_every_bound_passes_even_alerting_less_than_the_active_model()
    {
        ShadowVerdict.Judge(Healthy(), Bounds, 100, 60).Should().BeNull();
        ShadowVerdict.Judge(Healthy() with { CandidateAlerts = 0, ActiveAlerts = 300 }, Bounds, 100, 60).Should().BeNull();
        ShadowVerdict.Judge(Healthy() with { Errors = 10 }, Bounds, 100, 60).Should().BeNull("1% failures is the bound itself");
    }

    [Fact]
    public void Each_broken_bound_is_named_with_its_numbers()
    {
        ShadowVerdict.Judge(Healthy() with { Windows = 12 }, Bounds, 100, 3600).Should()
            .StartWith("only 12 window(s) reached the shadow in 3600 s, fewer than ota.shadow.minWindows (100)");
        ShadowVerdict.Judge(Healthy() with { Errors = 5, NonFinite = 15, FirstError = "boom" }, Bounds, 100, 60).Should()
            .Be("the candidate failed on 20 of 1000 windows (2%, bound ota.shadow.maxErrorRate 1%): 5 inference error(s), 15 NaN or infinite score(s); first error: boom");
        ShadowVerdict.Judge(Healthy() with { CandidateMedianTicks = Ticks(3) }, Bounds, 100, 60).Should()
            .Be("the candidate's median run time 3 ms is 3x the active model's 1 ms over 1000 windows (bound ota.shadow.maxLatencyRatio 2x)");
        ShadowVerdict.Judge(Healthy() with { CandidateTicks = Ticks(150_000) }, Bounds, 100, 60).Should()
            .Be("the candidate's mean run time 150 ms over 1000 windows exceeds ota.healthMaxLatencyMilliseconds (100 ms)");
        ShadowVerdict.Judge(Healthy() with { CandidateAlerts = 370, ActiveAlerts = 0 }, Bounds, 100, 60).Should()
            .Be("the candidate alerted on 37% of 1000 windows vs 0% for the active model (bound ota.shadow.maxAlertRateIncrease 5 percentage points)");
    }

    [Fact]
    public void Failures_decide_early_only_when_the_bound_is_already_broken_for_good()
    {
        var strict = new ShadowOptions { MinWindows = 100, MaxErrorRate = 0 };
        ShadowVerdict.EarlyFailure(new ShadowStatistics(3, 0, 1, 0, 0, 0, 0, 0, 0, null), strict).Should().Contain("1 NaN or infinite score(s)");
        ShadowVerdict.EarlyFailure(new ShadowStatistics(3, 0, 0, 0, 0, 0, 0, 0, 0, null), strict).Should().BeNull();
        // With a tolerance, 1 failure in 3 windows may still be 1 in 100 by the end.
        ShadowVerdict.EarlyFailure(new ShadowStatistics(3, 1, 0, 0, 0, 0, 0, 0, 0, null), Bounds).Should().BeNull();
        ShadowVerdict.EarlyFailure(new ShadowStatistics(200, 3, 0, 0, 0, 0, 0, 0, 0, null), Bounds).Should().Contain("3 of 200 windows");
    }

    private static long Ticks(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000);
}
