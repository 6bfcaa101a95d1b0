namespace EdgeAgent.Pipelines.Camera;

/// <summary>The raw pixel layout ffmpeg writes for each frame (packed, 8 bits per channel, no row padding).</summary>
public enum CameraPixelFormat
{
    Rgb24,
    Bgr24,
    Gray,
}
