using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Outbox;

public sealed class OutboxBatchingOptions
{
    [Description("Most messages committed in one SQLite transaction (callers of Enqueue waiting at the same time share one commit).")]
    [Range(1, 100_000)]
    public int MaxMessagesPerCommit { get; set; } = 4096;

    [Description("Most messages published but not yet acknowledged by the broker.")]
    [Range(1, 65_000)]
    public int MaxInFlight { get; set; } = 1024;
}
