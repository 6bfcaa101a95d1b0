using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Camera;

public sealed partial class CameraCapture
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Camera {Camera}: starting ffmpeg for {Input}")]
    private static partial void LogStarting(ILogger logger, string camera, string input);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Camera {Camera}: streaming {Width}x{Height} {Format}")]
    private static partial void LogStreaming(ILogger logger, string camera, int width, int height, CameraPixelFormat format);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Camera {Camera}: ffmpeg exited with code {ExitCode} ({Detail}); restart {Restart} in {DelaySeconds:0.0}s")]
    private static partial void LogExited(ILogger logger, string camera, int exitCode, string detail, long restart, double delaySeconds);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Camera {Camera}: no frame for {Seconds:0.0}s, killing ffmpeg (stall {Stalls})")]
    private static partial void LogStalled(ILogger logger, string camera, double seconds, long stalls);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Error, Message = "Camera {Camera}: {Problem}; retrying in {DelaySeconds:0.0}s")]
    private static partial void LogStartFailed(ILogger logger, string camera, string problem, double delaySeconds);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "Camera {Camera} ffmpeg: {Line}")]
    private static partial void LogStderr(ILogger logger, string camera, string line);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Warning, Message = "Camera {Camera} ffmpeg: {Line} ({Suppressed} earlier lines not logged)")]
    private static partial void LogStderrAfterSuppressed(ILogger logger, string camera, string line, long suppressed);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "Camera {Camera}: input ended after {Frames} frames")]
    private static partial void LogEnded(ILogger logger, string camera, long frames);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "Camera {Camera}: discarded a partial frame of {Bytes} of {FrameBytes} bytes at the end of the stream")]
    private static partial void LogPartialFrame(ILogger logger, string camera, int bytes, int frameBytes);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "Camera {Camera} ffmpeg: previous line repeated {Repeats} more times")]
    private static partial void LogStderrRepeated(ILogger logger, string camera, long repeats);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Camera {Camera}: restarting ffmpeg to {Change} the recording ({FreeMegabytes} MB free in {Directory}); detection goes on")]
    private static partial void LogRecordingChange(ILogger logger, string camera, string change, long freeMegabytes, string directory);
}
