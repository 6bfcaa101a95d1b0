namespace EdgeAgent.Pipelines.Camera;

public enum CameraState
{
    /// <summary>ffmpeg started, no frame yet.</summary>
    Starting,

    /// <summary>Frames arriving.</summary>
    Streaming,

    /// <summary>No frame for the stall timeout; ffmpeg is being killed.</summary>
    Stalled,

    /// <summary>ffmpeg exited or was killed; waiting out the backoff before the next start.</summary>
    Restarting,

    /// <summary>ffmpeg cannot be started at all (not installed, not executable); retried at the longest backoff.</summary>
    Failed,

    /// <summary>A file input that is not looped reached its end; the capture is finished.</summary>
    Ended,

    /// <summary>The capture was stopped by its owner.</summary>
    Stopped,
}
