using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>Builds a camera pipeline from its validated options and model file; every mismatch is one start-up error naming the fix.</summary>
public static class CameraPipelineFactory
{
    public static CameraOptions CameraOf(PipelineOptions options) => options.Camera
        ?? throw new ConfigurationException($"pipeline '{options.Name}' is a camera pipeline without a camera section: add pipelines.camera.input");

    /// <summary>Loads the model (with the threshold from a model.json beside it) and wires scorer, alert logic and publisher.</summary>
    public static CameraPipeline Create(PipelineOptions options, string deviceId, InferenceRuntime runtime, string modelPath, IOutboundQueue queue,
        IAlertObserver? alerts = null)
    {
        var camera = CameraOf(options);
        var threshold = ServingManifest.Beside(options, modelPath)?.Threshold;
        if (threshold is null && options.Alert.RaiseThreshold is null)
        {
            throw new ModelUnusableException(
                $"pipeline '{options.Name}': {modelPath} has no model.json with a threshold beside it: set alert.raiseThreshold or calibrate the model");
        }

        var session = ModelSessionLoader.Load(runtime, options, modelPath);

        try
        {
            var model = new CameraModel(session, options.Model.Input, options.Model.Output, camera.Channels);
            return new CameraPipeline(options.Name, camera, model, options.Scorer, scorer =>
            {
                var alert = new AlertStateMachine(options.Alert, threshold);
                return new AnomalyEventPublisher(deviceId, options.Name, options.Alert, alert, scorer, options.Scorer.TopFeatures, queue, alerts);
            });
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            session.Dispose();
            throw new ModelUnusableException($"pipeline '{options.Name}': {ex.Message}", ex);
        }
    }

    /// <summary>The snapshot writer of a camera, or null when snapshots are off; with a queue, it publishes thumbnails (unless thumbnailWidth is 0).</summary>
    public static SnapshotWriter? CreateSnapshots(PipelineOptions options, string stateDirectory, string deviceId = "", IOutboundQueue? queue = null)
    {
        var camera = CameraOf(options);
        if (!camera.Snapshots.Enabled)
        {
            return null;
        }

        var directory = camera.Snapshots.Directory.Length > 0
            ? camera.Snapshots.Directory
            : Path.Combine(stateDirectory, "snapshots", options.Name);
        var thumbnails = queue is not null && camera.Snapshots.ThumbnailWidth > 0
            ? new Snapshots.SnapshotThumbnails(camera.FfmpegPath, camera.Snapshots.ThumbnailWidth, camera.Snapshots.ThumbnailMaxBytes, camera.Snapshots.Quality,
                queue, deviceId, options.Name)
            : null;
        return new SnapshotWriter(directory, camera.Snapshots.Keep, camera.FfmpegPath, camera.Snapshots.Quality, thumbnails);
    }

    /// <summary>The recording ring of a camera, or null when recording is off.</summary>
    public static Recording.SegmentRing? CreateRing(PipelineOptions options, string stateDirectory)
    {
        var camera = CameraOf(options);
        var recording = camera.Recording;
        if (!recording.Enabled)
        {
            return null;
        }

        if (Recording.SegmentEncoding.Unavailable(camera.FfmpegPath, recording.Codec) is { } missing)
        {
            throw new ConfigurationException($"pipeline '{options.Name}': {missing}");
        }

        var directory = recording.Directory.Length > 0 ? recording.Directory : Path.Combine(stateDirectory, "recording", options.Name);
        return new Recording.SegmentRing(directory, recording);
    }

    /// <summary>Full-resolution snapshots and clips from the ring, or null without a ring.</summary>
    public static Recording.EventRecording? CreateRecording(PipelineOptions options, Recording.SegmentRing? ring, string stateDirectory, string deviceId, IOutboundQueue queue)
    {
        if (ring is null)
        {
            return null;
        }

        var camera = CameraOf(options);
        var clips = camera.Clips.Enabled
            ? new Recording.ClipRecorder(camera.Clips.Directory.Length > 0 ? camera.Clips.Directory : Path.Combine(stateDirectory, "clips", options.Name),
                ring, camera.Clips, camera.FfmpegPath, queue, deviceId, options.Name)
            : null;
        return new Recording.EventRecording(ring, new Snapshots.FullFrameSnapshots(ring, camera.FfmpegPath, camera.Snapshots.MaxWidth, camera.Snapshots.Quality, camera.Snapshots.HeatOverlay), clips);
    }
}
