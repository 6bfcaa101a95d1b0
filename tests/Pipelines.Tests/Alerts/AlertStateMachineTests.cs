using EdgeAgent.Pipelines.Alerts;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Alerts;

public sealed class AlertStateMachineTests
{
    private static long S(int seconds) => seconds * TimeSpan.TicksPerSecond;

    /// <summary>Feeds one score per 10 s window and returns the transitions by window index.</summary>
    private static List<(int Window, AlertTransition Transition)> Run(AlertStateMachine alert, params double[] scores)
    {
        var result = new List<(int, AlertTransition)>();
        for (var i = 0; i < scores.Length; i++)
        {
            var t = alert.Update(scores[i], S(i * 10), S((i * 10) + 10));
            if (t != AlertTransition.None)
            {
                result.Add((i, t));
            }
        }

        return result;
    }

    [Fact]
    public void Debounce_raise_after_n_windows_clear_after_m()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 3, ClearWindows = 2, CooldownSeconds = 0 }, null);
        Run(alert, 2, 2, 0, 2, 2, 2, 0.4, 0.7, 0.4, 0.4, 0).Should().Equal((5, AlertTransition.Started), (9, AlertTransition.Ended));
        alert.StartTicks.Should().Be(S(30), "the alert starts with the first window of the streak that raised it");
        alert.RaisedTicks.Should().Be(S(60));
        alert.EndTicks.Should().Be(S(100));
    }

    [Fact]
    public void Hysteresis_keeps_the_alert_between_clear_and_raise_levels()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 0 }, null);
        Run(alert, 1.2, 0.9, 0.6, 0.51, 0.49).Should().Equal((0, AlertTransition.Started), (4, AlertTransition.Ended));
    }

    [Fact]
    public void Cooldown_suppresses_a_new_alert_until_it_has_passed()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseThreshold = 1, RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 35 }, null);
        Run(alert, 2, 0, 2, 2, 2, 2).Should().Equal((0, AlertTransition.Started), (1, AlertTransition.Ended), (5, AlertTransition.Started));
    }

    [Fact]
    public void Severity_follows_the_peak_and_defaults_come_from_the_model()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseWindows = 1, ClearWindows = 1 }, modelThreshold: 2);
        alert.RaiseThreshold.Should().Be(2);
        alert.ClearThreshold.Should().Be(1.6);
        alert.SeverityNames.Should().Equal("warning", "critical");
        Run(alert, 2.5);
        alert.Severity.Should().Be(0);
        Run(alert, 4.5);
        alert.Severity.Should().Be(1);
        alert.PeakScore.Should().Be(4.5);
    }

    [Fact]
    public void A_swapped_in_model_brings_its_threshold_unless_one_is_configured()
    {
        var fromModel = new AlertStateMachine(new AlertOptions { RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 0 }, modelThreshold: 2);
        fromModel.UseModelThreshold(10);
        fromModel.RaiseThreshold.Should().Be(10);
        fromModel.ClearThreshold.Should().Be(8);
        Run(fromModel, 5).Should().BeEmpty("5 was an alert under the old model's threshold, not under the new one's");
        Run(fromModel, 11).Should().Equal((0, AlertTransition.Started));

        var configured = new AlertStateMachine(new AlertOptions { RaiseThreshold = 3, RaiseWindows = 1 }, modelThreshold: 2);
        configured.UseModelThreshold(10);
        configured.RaiseThreshold.Should().Be(3);
    }

    [Fact]
    public void Nan_scores_are_counted_and_change_nothing()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseThreshold = 1, RaiseWindows = 2 }, null);
        Run(alert, 2, double.NaN, 2).Should().Equal((2, AlertTransition.Started));
        alert.InvalidScores.Should().Be(1);
    }

    [Fact]
    public void Without_any_threshold_it_says_where_to_set_one() =>
        FluentActions.Invoking(() => new AlertStateMachine(new AlertOptions(), null)).Should().Throw<ArgumentException>().WithMessage("*alert.raiseThreshold*");

    [Fact]
    public void Cooldown_in_windows_suppresses_the_next_alert_for_that_many_windows()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseThreshold = 1, RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 0, CooldownWindows = 3 }, null);
        Run(alert, 2, 0, 2, 2, 2, 2).Should().Equal((0, AlertTransition.Started), (1, AlertTransition.Ended), (5, AlertTransition.Started));
    }

    [Fact]
    public void An_alert_that_outlives_its_maximum_duration_ends_and_rearms_only_after_a_normal_window()
    {
        var alert = new AlertStateMachine(new AlertOptions { RaiseThreshold = 1, ClearThreshold = 0.5, RaiseWindows = 1, ClearWindows = 1, CooldownSeconds = 0, MaxDurationSeconds = 30 }, null);
        Run(alert, 2, 2, 2, 2, 2, 2, 0.4, 2).Should().Equal((0, AlertTransition.Started), (3, AlertTransition.Ended), (7, AlertTransition.Started));
        alert.ExpiredAlerts.Should().Be(1);
    }

    [Fact]
    public void The_adaptive_layer_ends_an_alert_once_a_drift_has_become_the_usual()
    {
        var options = new AlertOptions
        {
            RaiseWindows = 1, ClearWindows = 3, CooldownSeconds = 0,
            Adaptive = new AdaptiveOptions { Enabled = true, RecentWindows = 5, WarmupWindows = 50, HistoryWindows = 200 },
        };
        var alert = new AlertStateMachine(options, modelThreshold: 0.001);
        alert.RaiseThreshold.Should().Be(AdaptiveOptions.DefaultRaiseThreshold, "a raw-scale manifest threshold does not apply to adaptive scores");
        var scores = Enumerable.Range(0, 3000).Select(i => (i < 500 ? 1 : 3) * (1 + (0.1 * Math.Sin(i * 12.9898)))).ToArray();
        var transitions = Run(alert, scores);
        transitions.Should().HaveCount(2);
        transitions[0].Should().Match<(int Window, AlertTransition Transition)>(t => t.Transition == AlertTransition.Started && t.Window >= 500 && t.Window < 510);
        transitions[1].Transition.Should().Be(AlertTransition.Ended, "a raw-score threshold would keep this alert raised forever");
    }
}
