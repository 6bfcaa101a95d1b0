using System.Text.Json;
using EdgeAgent.Hosting;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Telemetry;

/// <summary>
/// A pipeline's state and counters in each telemetry report, sensor and camera alike (docs/mqtt.md): a pipeline
/// whose model cannot be used reports why; a running one reports its kind's counters, its model errors and its
/// alert. The camera's own part (capture, snapshots, thumbnails, recording) is written for cameras only, the
/// sources for sensors only.
/// </summary>
public sealed class PipelineTelemetry(string name, PipelineKind kind, PipelineRegistry registry) : ITelemetryContributor
{
    private SensorPipelineService? _sensor;
    private CameraPipelineService? _camera;

    public string Name { get; } = name;

    public void WriteCounters(Utf8JsonWriter writer)
    {
        // Found on the first report, not when built: the telemetry service is itself a hosted service, so resolving
        // the pipelines eagerly would be a dependency cycle.
        var camera = kind == PipelineKind.Camera ? (_camera ??= registry.Camera(Name)!) : null;
        var sensor = camera is null ? (_sensor ??= registry.Sensor(Name)!) : null;
        writer.WriteString("kind", camera is null ? "sensor" : "camera");
        AlertStateMachine? alert = null;
        var lastScore = double.NaN;
        if (camera?.Pipeline is { } running)
        {
            (alert, lastScore) = (running.Alert, running.LastScore);
        }
        else if (sensor?.Runner?.Pipeline is { } pipeline)
        {
            (alert, lastScore) = (pipeline.Alert, pipeline.LastScore);
        }

        if (alert is null)
        {
            writer.WriteString("state", "failed");
            writer.WriteString("error", camera is null ? sensor!.Failure : camera.Failure);
            writer.WriteNumber("buildFailures", camera is null ? sensor!.BuildFailures : camera.BuildFailures);
            return;
        }

        var status = camera?.Status;
        if (camera is not null)
        {
            WriteCamera(writer, camera, status!.Value);
        }
        else
        {
            WriteWindows(writer, sensor!.Runner!.Pipeline);
        }

        writer.WriteBoolean("alertActive", alert.Active);
        if (double.IsFinite(lastScore))
        {
            writer.WriteNumber("lastScore", lastScore);
        }

        if (status is { LastError.Length: > 0 })
        {
            writer.WriteString("lastError", status.Value.LastError);
        }

        if (sensor is not null)
        {
            WriteSources(writer, sensor.Runner!.Sources);
        }
    }

    private static void WriteWindows(Utf8JsonWriter writer, SensorPipeline pipeline)
    {
        var windows = pipeline.Counters;
        writer.WriteString("state", "running");
        writer.WriteNumber("samples", windows.Samples);
        writer.WriteNumber("windows", windows.Windows);
        writer.WriteNumber("gaps", windows.Gaps);
        writer.WriteNumber("outOfRange", windows.OutOfRange);
        writer.WriteNumber("nonFinite", windows.NonFinite);
        writer.WriteNumber("late", windows.Late);
        writer.WriteNumber("modelErrors", pipeline.Slot.ModelErrors);
    }

    /// <summary>The camera's part: capture state and rates, frames, model errors, snapshots and, when on, thumbnails and recording.</summary>
    private static void WriteCamera(Utf8JsonWriter writer, CameraPipelineService service, CameraPipelineStatus status)
    {
        var capture = status.Capture;
        writer.WriteString("state", status.State);
        writer.WriteNumber("fpsIn", Math.Round(status.FpsIn, 2));
        writer.WriteNumber("fpsOut", Math.Round(status.FpsOut, 2));
        writer.WriteNumber("framesReceived", capture.FramesReceived);
        writer.WriteNumber("framesScored", status.FramesScored);
        writer.WriteNumber("framesSkipped", status.FramesSkipped);
        writer.WriteNumber("modelErrors", service.Pipeline!.Slot.ModelErrors);
        writer.WriteNumber("framesDropped", capture.FramesDropped);
        writer.WriteNumber("partialFrames", capture.PartialFrames);
        writer.WriteNumber("restarts", capture.Restarts);
        writer.WriteNumber("stalls", capture.Stalls);
        writer.WriteNumber("startFailures", capture.StartFailures);
        writer.WriteNumber("snapshots", service.SnapshotsPublished);
        writer.WriteNumber("snapshotFailures", service.SnapshotFailures);
        if (service.Snapshots?.Thumbnails is { } thumbnails)
        {
            writer.WriteNumber("thumbnails", thumbnails.Published);
            writer.WriteNumber("thumbnailsOversized", thumbnails.Oversized);
            writer.WriteNumber("thumbnailFailures", thumbnails.Failed);
        }

        if (service.Recording is { } recording)
        {
            // Present only with camera.recording on: a full disk shows here (suspended, dropped), never as a stopped camera.
            writer.WriteNumber("recordingSuspended", recording.Ring.Suspended);
            writer.WriteNumber("segmentsDeleted", recording.Ring.Deleted);
            writer.WriteNumber("clips", recording.Clips?.Written ?? 0);
            writer.WriteNumber("clipsDropped", recording.Clips?.Dropped ?? 0);
            writer.WriteNumber("clipsDeleted", recording.Clips?.Deleted ?? 0);
        }
    }

    private static void WriteSources(Utf8JsonWriter writer, IReadOnlyList<SampleSource> sources)
    {
        writer.WriteStartObject("sources");
        foreach (var source in sources)
        {
            writer.WriteStartObject(source.Name);
            writer.WriteNumber("samples", source.Counters.Samples);
            writer.WriteNumber("badInput", source.Counters.TotalBad);
            writer.WriteNumber("readErrors", source.Counters.ReadErrors);
            writer.WriteNumber("deviceLost", source.Counters.DeviceLost);
            if (source.Counters.TotalBad > 0)
            {
                // Counted by reason: "why is my pipeline silent" is answered here (e.g. timestampInFuture).
                writer.WriteStartObject("badInputByReason");
                foreach (var (reason, count) in source.Counters.RejectionsByReason())
                {
                    writer.WriteNumber(reason, count);
                }

                writer.WriteEndObject();
            }

            // Down while an outage (a missing bus, a chip that stopped answering) has not ended; the source is retrying.
            writer.WriteBoolean("down", source.Counters.DeviceLost > source.Counters.DeviceBack);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
