using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Outbox;

public sealed class OutboxOptions
{
    [Description("Largest total size of queued messages; beyond it the oldest are dropped and counted.")]
    [Range(1, 65536)]
    public int MaxMegabytes { get; set; } = 100;

    [Description("Queued messages older than this are dropped and counted.")]
    [Range(1, 8760)]
    public int MaxAgeHours { get; set; } = 168;

    [Description("SQLite synchronous level: normal (survives a crash or kill; a power cut may lose the last moments), full (also survives a power cut, slower on SD cards) or off (no fsync at all).")]
    public OutboxSynchronous Synchronous { get; set; } = OutboxSynchronous.Normal;

    [Description("Most messages per second sent to the broker, so a backlog after an outage does not flood it. 0: no limit.")]
    [Range(0, 1_000_000)]
    public int DrainRatePerSecond { get; set; } = 1000;

    [Description("How writes are grouped into SQLite transactions and how many messages may await the broker's acknowledgement.")]
    public OutboxBatchingOptions Batching { get; set; } = new();

    [Description("What happens to messages while the state directory's disk is full: a bounded queue in memory, delivered to a connected broker, persisted again when space returns.")]
    public OutboxDiskFullOptions DiskFull { get; set; } = new();
}
