using System.Diagnostics;
using EdgeAgent.Pipelines.Health;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Health;

public sealed class HeartbeatTests
{
    [Fact]
    public void Silent_longer_than_allowed_is_unhealthy_and_a_beat_heals_it()
    {
        var heartbeat = new Heartbeat("loop", TimeSpan.FromSeconds(1));
        heartbeat.Describe("12 windows/s");
        var now = Stopwatch.GetTimestamp();
        heartbeat.Check(now).Should().Be(HealthReport.Healthy("12 windows/s"));
        heartbeat.Check(now + (2 * Stopwatch.Frequency)).State.Should().Be(HealthState.Unhealthy);
        heartbeat.Beat();
        heartbeat.Check(Stopwatch.GetTimestamp()).State.Should().Be(HealthState.Healthy);
    }

    [Fact]
    public void Overall_state_is_the_worst_and_summary_names_each_component()
    {
        var reports = new List<(string, HealthReport)>
        {
            ("mqtt", HealthReport.Degraded("broker unreachable")),
            ("pipeline a", HealthReport.Healthy("running")),
        };
        HealthMonitor.Overall(reports).Should().Be(HealthState.Degraded);
        HealthMonitor.Summarize(reports).Should().Be("degraded; mqtt: broker unreachable; pipeline a: running");
        HealthMonitor.Summarize([]).Should().Be("healthy");
    }

    [Fact]
    public async Task Readiness_gate_reports_components_that_missed_the_grace_period()
    {
        var gate = new ReadinessGate();
        gate.Register("fast");
        gate.Register("slow");
        gate.Started("fast");
        (await gate.WaitAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None)).Should().Equal("slow");
        gate.Started("slow");
        (await gate.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).Should().BeEmpty();
    }
}
