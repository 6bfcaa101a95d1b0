using Microsoft.Extensions.Logging;

namespace EdgeAgent.Outbox;

public sealed partial class DurableOutbox
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Path}: {Depth} messages ({KiB} KiB) waiting from before; synchronous={Synchronous}")]
    private static partial void LogOpened(ILogger logger, string path, long depth, long kiB, string synchronous);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox database {Path} could not be used ({Reason}); it was moved aside to {Aside} and a new, empty outbox was started. Messages in the old file were not sent")]
    private static partial void LogMovedAside(ILogger logger, string path, string reason, string aside);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox full: dropped the {Count} oldest messages to stay under outbox.maxMegabytes={MaxMegabytes} (the broker has been unreachable for long; raise the limit or fix the link)")]
    private static partial void LogDroppedFull(ILogger logger, long count, int maxMegabytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: dropped {Count} messages older than outbox.maxAgeHours={MaxAgeHours}")]
    private static partial void LogExpired(ILogger logger, long count, int maxAgeHours);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broker rejected outbox message {Seq} (MQTT 5 reason code in its PUBACK); it is counted as rejected and not sent again")]
    private static partial void LogRejectedByBroker(ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {Seq} cannot be sent (too large for the broker or an invalid topic); it is dropped and counted as rejected")]
    private static partial void LogRejectedLocally(ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The outbox {Path} cannot be written any more: {Reason}. The agent stops so systemd restarts it")]
    private static partial void LogFault(ILogger logger, string path, string reason, Exception exception);
}
