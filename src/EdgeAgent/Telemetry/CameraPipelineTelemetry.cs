using System.Text.Json;
using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Telemetry;

/// <summary>A camera pipeline's state and counters in each telemetry report: is the camera up, how many frames came in and were scored.</summary>
public sealed class CameraPipelineTelemetry : ITelemetryContributor
{
    private readonly Func<CameraPipelineService?> _find;
    private readonly Func<string?> _failure;
    private CameraPipelineService? _service;
    private string? _failed;

    /// <param name="find">Finds the service once the host is built (see <see cref="SensorPipelineTelemetry"/>).</param>
    /// <param name="failure">Why the pipeline could not start (null when it runs).</param>
    public CameraPipelineTelemetry(string name, Func<CameraPipelineService?> find, Func<string?>? failure = null)
    {
        Name = name;
        _find = find;
        _failure = failure ?? (() => null);
    }

    public string Name { get; }

    public void WriteCounters(Utf8JsonWriter writer)
    {
        _service ??= _find();
        if (_service is null)
        {
            _failed ??= _failure();
            writer.WriteString("kind", "camera");
            writer.WriteString("state", "failed");
            writer.WriteString("error", _failed);
            return;
        }

        var status = _service.Status;
        var capture = status.Capture;
        writer.WriteString("kind", "camera");
        writer.WriteString("state", status.State);
        writer.WriteNumber("fpsIn", Math.Round(status.FpsIn, 2));
        writer.WriteNumber("fpsOut", Math.Round(status.FpsOut, 2));
        writer.WriteNumber("framesReceived", capture.FramesReceived);
        writer.WriteNumber("framesScored", status.FramesScored);
        writer.WriteNumber("framesSkipped", status.FramesSkipped);
        writer.WriteNumber("framesDropped", capture.FramesDropped);
        writer.WriteNumber("partialFrames", capture.PartialFrames);
        writer.WriteNumber("restarts", capture.Restarts);
        writer.WriteNumber("stalls", capture.Stalls);
        writer.WriteNumber("startFailures", capture.StartFailures);
        writer.WriteNumber("snapshots", _service.SnapshotsPublished);
        writer.WriteNumber("snapshotFailures", _service.SnapshotFailures);
        writer.WriteBoolean("alertActive", _service.Pipeline.Alert.Active);
        if (double.IsFinite(_service.Pipeline.LastScore))
        {
            writer.WriteNumber("lastScore", _service.Pipeline.LastScore);
        }

        if (status.LastError.Length > 0)
        {
            writer.WriteString("lastError", status.LastError);
        }
    }
}
