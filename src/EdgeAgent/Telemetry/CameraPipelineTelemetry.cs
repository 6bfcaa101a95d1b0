using System.Text.Json;
using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Telemetry;

/// <summary>A camera pipeline's state and counters in each telemetry report: is the camera up, how many frames came in and were scored.</summary>
public sealed class CameraPipelineTelemetry : ITelemetryContributor
{
    private readonly Func<CameraPipelineService> _find;
    private CameraPipelineService? _service;

    /// <param name="find">Finds the service once the host is built (see <see cref="SensorPipelineTelemetry"/>).</param>
    public CameraPipelineTelemetry(string name, Func<CameraPipelineService> find)
    {
        Name = name;
        _find = find;
    }

    public string Name { get; }

    public void WriteCounters(Utf8JsonWriter writer)
    {
        _service ??= _find();
        writer.WriteString("kind", "camera");
        if (_service.Pipeline is not { } pipeline)
        {
            FailedPipelineTelemetry.Write(writer, _service.Failure, _service.BuildFailures);
            return;
        }

        var status = _service.Status;
        var capture = status.Capture;
        writer.WriteString("state", status.State);
        writer.WriteNumber("fpsIn", Math.Round(status.FpsIn, 2));
        writer.WriteNumber("fpsOut", Math.Round(status.FpsOut, 2));
        writer.WriteNumber("framesReceived", capture.FramesReceived);
        writer.WriteNumber("framesScored", status.FramesScored);
        writer.WriteNumber("framesSkipped", status.FramesSkipped);
        writer.WriteNumber("modelErrors", pipeline.Slot.ModelErrors);
        writer.WriteNumber("framesDropped", capture.FramesDropped);
        writer.WriteNumber("partialFrames", capture.PartialFrames);
        writer.WriteNumber("restarts", capture.Restarts);
        writer.WriteNumber("stalls", capture.Stalls);
        writer.WriteNumber("startFailures", capture.StartFailures);
        writer.WriteNumber("snapshots", _service.SnapshotsPublished);
        writer.WriteNumber("snapshotFailures", _service.SnapshotFailures);
        if (_service.Snapshots?.Thumbnails is { } thumbnails)
        {
            writer.WriteNumber("thumbnails", thumbnails.Published);
            writer.WriteNumber("thumbnailsOversized", thumbnails.Oversized);
            writer.WriteNumber("thumbnailFailures", thumbnails.Failed);
        }

        if (_service.Recording is { } recording)
        {
            // Present only with camera.recording on: a full disk shows here (suspended, dropped), never as a stopped camera.
            writer.WriteNumber("recordingSuspended", recording.Ring.Suspended);
            writer.WriteNumber("segmentsDeleted", recording.Ring.Deleted);
            writer.WriteNumber("clips", recording.Clips?.Written ?? 0);
            writer.WriteNumber("clipsDropped", recording.Clips?.Dropped ?? 0);
            writer.WriteNumber("clipsDeleted", recording.Clips?.Deleted ?? 0);
        }
        writer.WriteBoolean("alertActive", pipeline.Alert.Active);
        if (double.IsFinite(pipeline.LastScore))
        {
            writer.WriteNumber("lastScore", pipeline.LastScore);
        }

        if (status.LastError.Length > 0)
        {
            writer.WriteString("lastError", status.LastError);
        }
    }
}
