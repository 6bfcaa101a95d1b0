namespace EdgeAgent.Pipelines.Camera;

/// <summary>A consistent-enough copy of a camera's counters for telemetry (each value read atomically).</summary>
public readonly record struct CameraCounters(
    long FramesReceived,
    long FramesDropped,
    long PartialFrames,
    long Restarts,
    long Stalls,
    long StartFailures,
    CameraState State);
