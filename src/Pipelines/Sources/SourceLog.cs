using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Sources;

internal static partial class SourceLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Source {Source}: rejected input ({Kind}): {Detail}; {Total} rejected so far (logged at most every 10 s)")]
    public static partial void BadInput(ILogger logger, string source, BadInput kind, string detail, long total);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Source {Source}: {Device} is unavailable ({Reason}); retrying with backoff, the pipeline keeps running")]
    public static partial void DeviceLost(ILogger logger, string source, string device, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Source {Source}: {Device} is back after {Attempts} attempt(s)")]
    public static partial void DeviceBack(ILogger logger, string source, string device, int attempts);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Source {Source}: reached the end of {Path} ({Samples} samples)")]
    public static partial void EndOfFile(ILogger logger, string source, string path, long samples);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Source {Source}: {Path}: {Total} input value(s) rejected and dropped ({Reasons}); the rest was read")]
    public static partial void RejectedSummary(ILogger logger, string source, string path, long total, string reasons);
}
