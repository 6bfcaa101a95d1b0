namespace EdgeAgent.Pipelines.Camera;

/// <summary>What <see cref="CameraOptions.Input"/> names; decides the ffmpeg input arguments.</summary>
public enum CameraInputKind
{
    /// <summary>A V4L2 device such as <c>/dev/video0</c>.</summary>
    Device,

    /// <summary><c>rtsp://</c> or <c>rtsps://</c>, always over TCP.</summary>
    Rtsp,

    /// <summary><c>http://</c> or <c>https://</c>, typically an MJPEG stream.</summary>
    Http,

    /// <summary>A video file, optionally looped.</summary>
    File,
}
