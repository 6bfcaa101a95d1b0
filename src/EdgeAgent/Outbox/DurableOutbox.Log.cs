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

    [LoggerMessage(Level = LogLevel.Error, Message = "Disk full: the outbox {Path} cannot grow ({Reason}). The agent runs on: new messages go straight to the broker when it is connected, else wait in memory (at most {MemoryMessages} messages / {MemoryMegabytes} MiB, the oldest dropped beyond); messages already in the file are kept and sent in order. Trying the disk again every {ProbeSeconds}s and less often after. Fix: free space in the state directory")]
    private static partial void LogDiskFull(ILogger logger, string path, string reason, int memoryMessages, int memoryMegabytes, int probeSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disk full: dropped the {Count} oldest messages held in memory to stay under outbox.diskFull.memoryMessages={MemoryMessages} / memoryMegabytes={MemoryMegabytes} ({Total} dropped since start; the broker is not keeping up or not connected)")]
    private static partial void LogHeldOverflow(ILogger logger, long count, int memoryMessages, int memoryMegabytes, long total);

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox {Path} can be written again: persistence resumed, the messages held in memory are in the file ({Delivered} were delivered from memory meanwhile, {Dropped} dropped from memory since start)")]
    private static partial void LogResumed(ILogger logger, string path, long delivered, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping on a full disk: {Count} messages held in memory could not be written to {Path} and are lost")]
    private static partial void LogHeldLostAtStop(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox {Path} could not store this boot's time anchor ({Reason}); message ages are measured from this process's start until a later start stores it")]
    private static partial void LogNoClockAnchor(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outbox {Path} was opened on a full disk: its shared-memory index is kept in memory (exclusive locking) until the agent restarts; 'edgeagent outbox stats' cannot read the file meanwhile")]
    private static partial void LogExclusive(ILogger logger, string path);
}
