using System.Globalization;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// A camera pipeline's state for telemetry and the systemd STATUS line: one word a person reads (running, starting,
/// restarting, stalled, down, ended, stopped; failed while the model cannot be used), frame rates in and out over the last second, and the counters.
/// </summary>
public readonly record struct CameraPipelineStatus(
    string State,
    double FpsIn,
    double FpsOut,
    CameraCounters Capture,
    long FramesScored,
    long FramesSkipped,
    string LastError)
{
    /// <summary>ffmpeg runs in a row without a frame after which a camera counts as down rather than restarting.</summary>
    public const int DownAfterFailures = 3;

    public static string StateOf(CameraState state, bool stalled, int failuresInRow, long framesReceived, long restarts) => state switch
    {
        CameraState.Streaming => "running",
        CameraState.Stalled => "stalled",
        CameraState.Failed => "down",
        CameraState.Ended => "ended",
        CameraState.Stopped => "stopped",
        // Starting or Restarting: say why the camera is not streaming, as long as it is not; a camera that froze and
        // then refuses or fails the next starts too is down.
        _ when failuresInRow >= DownAfterFailures => "down",
        _ when stalled => "stalled",
        _ when framesReceived == 0 && restarts == 0 => "starting",
        _ => "restarting",
    };

    /// <summary>One clause of the STATUS line, e.g. <c>running, 14.9 fps in, 5.0 fps out, 3 dropped, 0 restarts</c>.</summary>
    public string Describe()
    {
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{State}, {FpsIn:0.0} fps in, {FpsOut:0.0} fps out, {Capture.FramesDropped} dropped, {Capture.Restarts} restarts");
        return State == "running" || LastError.Length == 0 ? text : $"{text}: {LastError}";
    }
}
