using EdgeAgent.Pipelines.Alerts;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Alerts;

public sealed class AlertGateTests
{
    // Sample time, carried across calls: it must never go backwards for one state machine.
    private long _t;

    private static AlertOptions Gated(int history = 4, int minimum = 3, double quantile = 0.5) => new()
    {
        RaiseThreshold = 1,
        ClearThreshold = 1,
        RaiseWindows = 1,
        ClearWindows = 1,
        CooldownSeconds = 0,
        Gate = new AlertGateOptions { Enabled = true, History = history, Minimum = minimum, Quantile = quantile },
    };

    /// <summary>Feeds each would-be alert as one window at its peak followed by one normal window; returns which alerted.</summary>
    private bool[] Episodes(AlertStateMachine alert, params double[] peaks)
    {
        var started = new bool[peaks.Length];
        ref var t = ref _t;
        for (var i = 0; i < peaks.Length; i++)
        {
            started[i] = alert.Update(peaks[i], t, t + 10) == AlertTransition.Started;
            alert.Update(0, t + 10, t + 20);
            t += 20;
        }

        return started;
    }

    [Fact]
    public void Every_would_be_alert_passes_until_the_minimum_then_only_those_reaching_the_median_of_the_recent_ones()
    {
        var alert = new AlertStateMachine(Gated(), null);

        // The first three alert whatever they are; the fourth (2) is below the median of 5, 3, 4; the fifth (4) is
        // at the median of the last four (3, 4, 2, 5 -> sorted 2, 3, 4, 5 -> index 1 = 3), so it alerts; history is 4.
        Episodes(alert, 5, 3, 4, 2, 4).Should().Equal(true, true, true, false, true);
        alert.GatedAlerts.Should().Be(1);
    }

    [Fact]
    public void A_stream_that_crosses_often_raises_its_own_bar_and_a_quiet_one_keeps_every_alert()
    {
        var busy = new AlertStateMachine(Gated(history: 40, minimum: 10), null);
        var noise = Enumerable.Range(0, 40).Select(i => 1.0 + (i % 5 * 0.1)).ToArray();
        Episodes(busy, noise).Count(s => s).Should().BeLessThan(30, "routine crossings stop being news");
        Episodes(busy, 3).Should().Equal([true], "a crossing far above the routine ones still alerts");

        var quiet = new AlertStateMachine(Gated(history: 40, minimum: 10), null);
        Episodes(quiet, 1.1, 1.05, 1.2).Should().Equal(true, true, true);
    }

    [Fact]
    public void A_held_back_crossing_needs_a_normal_window_before_the_next_would_be_alert()
    {
        var alert = new AlertStateMachine(Gated(history: 4, minimum: 1), null);
        Episodes(alert, 5).Should().Equal(true);

        // 2 is held back (below 5); staying above the raise level does not make it a new would-be alert each window.
        alert.Update(2, _t, _t + 10).Should().Be(AlertTransition.None);
        alert.Update(9, _t + 10, _t + 20).Should().Be(AlertTransition.None, "still the held-back episode");
        alert.Update(0, _t + 20, _t + 30).Should().Be(AlertTransition.None);
        alert.Update(9, _t + 30, _t + 40).Should().Be(AlertTransition.Started);
        alert.GatedAlerts.Should().Be(1);
    }

    [Fact]
    public void Gate_options_are_validated()
    {
        var errors = new List<EdgeAgent.Pipelines.Configuration.ConfigError>();
        new AlertGateOptions { Enabled = true, History = 5, Minimum = 6 }.Validate("alert.gate", errors);
        errors.Should().ContainSingle().Which.Path.Should().Be("alert.gate.minimum");
    }
}
