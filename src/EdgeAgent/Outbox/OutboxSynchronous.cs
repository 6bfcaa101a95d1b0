namespace EdgeAgent.Outbox;

/// <summary>SQLite's <c>PRAGMA synchronous</c> in WAL mode.</summary>
public enum OutboxSynchronous
{
    Off,
    Normal,
    Full,
}
