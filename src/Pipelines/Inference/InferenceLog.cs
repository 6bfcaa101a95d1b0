using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Inference;

internal static partial class InferenceLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "ONNX Runtime {Version} loaded from {Path}; providers in this build: {Providers}; shared arena: {Arena}")]
    public static partial void RuntimeLoaded(ILogger logger, string version, string path, string providers, string arena);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Execution provider '{Provider}' is skipped: {Reason}. This ONNX Runtime build lists: {Available}")]
    public static partial void ProviderSkipped(ILogger logger, string provider, string reason, string available);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Model {Path} loaded in {Milliseconds} ms (providers {Providers}{Cache})")]
    public static partial void ModelLoaded(ILogger logger, string path, long milliseconds, string providers, string cache);

    [LoggerMessage(EventId = 3005, Message = "ONNX Runtime [{Category}]: {Message}")]
    public static partial void OrtMessage(ILogger logger, LogLevel level, string category, string message);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Model {Path} failed to start with providers {Providers} ({Reason}); loading it on cpu only")]
    public static partial void ProviderFallback(ILogger logger, string path, string providers, string reason);
}
