using System.Diagnostics;
using EdgeAgent.Pipelines.Health;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>The pipeline's state for telemetry and STATUS; it stands in the health monitor for its capture.</summary>
public sealed partial class CameraPipelineService : IHealthSource
{
    private long _rateTimestamp;
    private long _rateReceived;
    private long _rateScored;
    private double _fpsIn;
    private double _fpsOut;

    /// <summary>The health source name, e.g. <c>camera front-door</c>.</summary>
    public string Name => _capture.Name;

    /// <summary>The capture's state and the frame rates; state <c>failed</c> (the reason as the last error) while the pipeline is not built.</summary>
    public CameraPipelineStatus Status
    {
        get
        {
            var counters = _capture.Counters;
            if (_build.Built is not { } pipeline)
            {
                return new CameraPipelineStatus("failed", 0, 0, counters, 0, 0, _build.Failure ?? string.Empty);
            }

            var state = CameraPipelineStatus.StateOf(counters.State, _capture.Stalled, _capture.FailuresInRow, counters.FramesReceived, counters.Restarts);
            return new CameraPipelineStatus(state, Volatile.Read(ref _fpsIn), Volatile.Read(ref _fpsOut), counters,
                pipeline.FramesScored, pipeline.FramesSkipped, state == "running" ? string.Empty : _capture.LastError);
        }
    }

    public HealthReport Check(long nowTicks)
    {
        if (_build.Built is not { } pipeline)
        {
            return _build.NotRunning;
        }

        if (pipeline.Slot.Failing(nowTicks) is { } failing)
        {
            return HealthReport.Degraded($"{Status.Describe()}; {failing}");
        }

        return new(_capture.Check(nowTicks).State, Status.Describe());
    }

    /// <summary>Frames in (from ffmpeg) and out (scored) per second since the previous call; called once a second.</summary>
    private void SampleRates(CameraPipeline pipeline)
    {
        var now = Stopwatch.GetTimestamp();
        var received = _capture.Counters.FramesReceived;
        var scored = pipeline.FramesScored;
        if (_rateTimestamp != 0)
        {
            var seconds = (double)(now - _rateTimestamp) / Stopwatch.Frequency;
            Volatile.Write(ref _fpsIn, (received - _rateReceived) / seconds);
            Volatile.Write(ref _fpsOut, (scored - _rateScored) / seconds);
        }

        (_rateTimestamp, _rateReceived, _rateScored) = (now, received, scored);
    }
}
