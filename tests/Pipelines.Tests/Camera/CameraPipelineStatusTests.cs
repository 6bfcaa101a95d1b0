using EdgeAgent.Pipelines.Camera;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class CameraPipelineStatusTests
{
    [Theory]
    [InlineData(CameraState.Streaming, false, 0, 10L, 0L, "running")]
    [InlineData(CameraState.Starting, false, 0, 0L, 0L, "starting")]
    [InlineData(CameraState.Starting, false, 1, 10L, 1L, "restarting")]
    [InlineData(CameraState.Restarting, false, 2, 0L, 2L, "restarting")]
    [InlineData(CameraState.Stalled, true, 0, 10L, 0L, "stalled")]
    [InlineData(CameraState.Restarting, true, 1, 10L, 1L, "stalled")]
    [InlineData(CameraState.Starting, true, 3, 10L, 3L, "down")]
    [InlineData(CameraState.Restarting, false, 3, 0L, 3L, "down")]
    [InlineData(CameraState.Failed, false, 1, 0L, 0L, "down")]
    [InlineData(CameraState.Ended, false, 0, 10L, 0L, "ended")]
    [InlineData(CameraState.Stopped, false, 0, 10L, 0L, "stopped")]
    public void The_state_word_says_why_a_camera_is_not_streaming(CameraState state, bool stalled, int failuresInRow, long frames, long restarts, string expected) =>
        CameraPipelineStatus.StateOf(state, stalled, failuresInRow, frames, restarts).Should().Be(expected);

    [Fact]
    public void The_status_clause_gives_rates_and_counters_and_the_reason_when_not_running()
    {
        var counters = new CameraCounters(100, 7, 0, 2, 1, 0, CameraState.Restarting);

        new CameraPipelineStatus("running", 14.94, 5, counters, 50, 3, string.Empty).Describe()
            .Should().Be("running, 14.9 fps in, 5.0 fps out, 7 dropped, 2 restarts");
        new CameraPipelineStatus("stalled", 0, 0, counters, 50, 3, "no frame for 3.1s (stall timeout 3s)").Describe()
            .Should().Be("stalled, 0.0 fps in, 0.0 fps out, 7 dropped, 2 restarts: no frame for 3.1s (stall timeout 3s)");
    }
}
