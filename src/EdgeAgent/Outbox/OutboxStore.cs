using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EdgeAgent.Outbox;

/// <summary>
/// The SQLite file behind the outbox: one table of messages in order, one of metadata (the id epoch, the dropped
/// count). Not thread-safe: one thread (the outbox pump) owns it. Statements are prepared once and bound with spans,
/// so writing and reading messages allocates nothing.
/// </summary>
internal sealed partial class OutboxStore : IDisposable
{
    /// <summary>"EAOB" in <c>PRAGMA application_id</c>: tells our file from any other SQLite database.</summary>
    public const int ApplicationId = 0x45414F42;
    private const int SchemaVersion = 1;

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _selectAfter;
    private readonly sqlite3_stmt _sumThrough;
    private readonly sqlite3_stmt _deleteThrough;
    private readonly sqlite3_stmt _oldest;
    private readonly sqlite3_stmt _sumOlderThan;
    private readonly sqlite3_stmt _setDropped;
    private readonly sqlite3_stmt _restartLog;
    private readonly sqlite3_stmt _raiseSequence;
    private readonly sqlite3_stmt _seedSequence;
    private bool _inTransaction;

    private OutboxStore(SqliteConnection connection, string epoch)
    {
        _connection = connection;
        _db = connection.Handle!;
        Epoch = epoch;
        _begin = Prepare("BEGIN IMMEDIATE"u8);
        _commit = Prepare("COMMIT"u8);
        _rollback = Prepare("ROLLBACK"u8);
        _insert = Prepare("INSERT INTO messages(seq, ts, qos, retain, size, topic, payload) VALUES(?7, ?1, ?2, ?3, ?4, ?5, ?6)"u8);
        _selectAfter = Prepare("SELECT seq, ts, qos, retain, topic, payload FROM messages WHERE seq > ?1 ORDER BY seq LIMIT ?2"u8);
        _sumThrough = Prepare("SELECT count(*), coalesce(sum(size), 0) FROM messages WHERE seq <= ?1"u8);
        _deleteThrough = Prepare("DELETE FROM messages WHERE seq <= ?1"u8);
        _oldest = Prepare("SELECT seq, size, ts FROM messages WHERE seq > ?1 ORDER BY seq LIMIT ?2"u8);
        _sumOlderThan = Prepare("SELECT count(*), coalesce(sum(size), 0), coalesce(max(seq), 0) FROM messages WHERE ts < ?1"u8);
        _setDropped = Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('dropped', ?1)"u8);
        _restartLog = Prepare("PRAGMA wal_checkpoint(RESTART)"u8);
        _raiseSequence = Prepare("UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'messages' AND seq < ?1"u8);
        _seedSequence = Prepare("INSERT INTO sqlite_sequence(name, seq) SELECT 'messages', ?1 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'messages')"u8);
    }

    public string Path => _connection.DataSource;

    /// <summary>
    /// Opened on a full disk in exclusive locking mode (no shared-memory index): no other connection can read the file,
    /// so the background checkpointer is not used and <c>outbox stats</c> waits for the agent to stop.
    /// </summary>
    public bool Exclusive { get; private init; }

    /// <summary>Random per database file: ids are <c>&lt;epoch&gt;-&lt;seq&gt;</c>, unique even when a damaged file is replaced and seq restarts.</summary>
    public string Epoch { get; }

    // How long a statement waits for a lock another connection holds (the checkpointer's, or a reader's).
    private const int BusyMilliseconds = 10000;

    /// <summary>Overhead counted per message on top of topic and payload, so that many tiny messages still hit the cap.</summary>
    public const int RowOverhead = 48;

    /// <summary>Opens (or creates) the outbox; a damaged or foreign file is moved aside and replaced, never crash-looped on.</summary>
    public static OutboxStore Open(string path, OutboxSynchronous synchronous, Action<string, string, string>? onMovedAside)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        try
        {
            return OpenOrThrow(path, synchronous, exclusive: false);
        }
        catch (SqliteException ex) when (IsOutOfSpace(ex) && File.Exists(path))
        {
            // A full disk says nothing about the file: moving it aside would only lose its messages. What failed is the
            // shared-memory index beside it (outbox.db-shm cannot be given its pages). In exclusive locking mode SQLite
            // keeps that index in the process's memory instead, so the file opens, its messages are sent, and new ones
            // are held in memory until the disk has room (see DurableOutbox.DiskFull). The mode lasts until the next start.
            SqliteConnection.ClearAllPools();
            try
            {
                return OpenOrThrow(path, synchronous, exclusive: true);
            }
            catch (SqliteException again) when (IsOutOfSpace(again))
            {
                throw new EdgeAgent.Configuration.AgentStartupException(
                    $"the outbox {path} cannot be opened because its disk is full ({again.Message}); its messages are kept. Fix: free space in stateDirectory", 73, again);
            }
        }
        catch (Exception ex) when ((ex is SqliteException or InvalidDataException) && File.Exists(path))
        {
            SqliteConnection.ClearAllPools();
            var aside = $"{path}.unreadable-{DateTime.UtcNow.ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture)}";
            File.Move(path, aside, overwrite: true);
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(path + suffix))
                {
                    File.Move(path + suffix, aside + suffix, overwrite: true);
                }
            }

            onMovedAside?.Invoke(path, aside, ex.Message);
            return OpenOrThrow(path, synchronous, exclusive: false);
        }
        catch (SqliteException ex)
        {
            throw new EdgeAgent.Configuration.AgentStartupException(
                $"the outbox {path} cannot be created: {ex.Message}. Fix: make stateDirectory writable by the agent's user", 73, ex);
        }
    }

    /// <summary>Opens an existing outbox read-only for <c>outbox stats</c>; null when there is none.</summary>
    public static SqliteConnection? OpenReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static OutboxStore OpenOrThrow(string path, OutboxSynchronous synchronous, bool exclusive)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            if (exclusive)
            {
                Execute(connection, "PRAGMA locking_mode=EXCLUSIVE"); // before the first read: no -shm file at all
            }

            var applicationId = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
            var tables = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM sqlite_schema"), CultureInfo.InvariantCulture);
            if (applicationId != ApplicationId && tables > 0)
            {
                throw new InvalidDataException($"it is not an EdgeAgent outbox (application_id {applicationId:x8}, {tables} schema objects)");
            }

            var mode = Scalar(connection, "PRAGMA journal_mode=WAL") as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidDataException($"it cannot be switched to WAL mode (journal_mode is {mode})");
            }

            Execute(connection, $"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}");

            // WalCheckpointer checkpoints from its own connection, off the commit path. SQLite's own checkpoint in
            // the commit stays only as a backstop at 4x the checkpointer's bound, for writes faster than a checkpoint
            // can copy. A log that grew past the bound (writes that never paused, or a reader that held an old
            // snapshot) is cut back to it on disk the next time it starts over, instead of keeping its largest size.
            Execute(connection, $"PRAGMA wal_autocheckpoint={WalCheckpointer.RestartPages * 4}");
            Execute(connection, $"PRAGMA journal_size_limit={WalCheckpointer.RestartPages * 4096L}");
            Execute(connection, $"PRAGMA busy_timeout={BusyMilliseconds}");
            if (tables == 0)
            {
                Execute(connection, $"""
                    PRAGMA application_id={ApplicationId};
                    PRAGMA user_version={SchemaVersion};
                    CREATE TABLE messages(seq INTEGER PRIMARY KEY AUTOINCREMENT, ts INTEGER NOT NULL, qos INTEGER NOT NULL,
                        retain INTEGER NOT NULL, size INTEGER NOT NULL, topic BLOB NOT NULL, payload BLOB NOT NULL);
                    CREATE TABLE meta(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
                    INSERT INTO meta(key, value) VALUES('epoch', '{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}');
                    INSERT INTO meta(key, value) VALUES('dropped', 0);
                    """);
            }
            else
            {
                var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
                if (version != SchemaVersion)
                {
                    throw new InvalidDataException($"it has schema version {version}, this agent reads version {SchemaVersion}");
                }

                if (Scalar(connection, "PRAGMA quick_check") is not "ok")
                {
                    throw new InvalidDataException("SQLite's integrity check failed");
                }
            }

            var epoch = Scalar(connection, "SELECT value FROM meta WHERE key = 'epoch'") as string
                        ?? throw new InvalidDataException("its id epoch is missing");
            return new OutboxStore(connection, epoch) { Exclusive = exclusive };
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The time anchor of the boot that last opened the file (see <see cref="OutboxClock"/>), or null.</summary>
    public (string BootId, long WallMs, long UptimeMs)? ReadClockAnchor()
    {
        var bootId = Scalar(_connection, "SELECT value FROM meta WHERE key = 'clock_boot_id'") as string;
        var wall = Scalar(_connection, "SELECT value FROM meta WHERE key = 'clock_wall_ms'");
        var uptime = Scalar(_connection, "SELECT value FROM meta WHERE key = 'clock_uptime_ms'");
        return bootId is not null && wall is long wallMs && uptime is long uptimeMs ? (bootId, wallMs, uptimeMs) : null;
    }

    public void WriteClockAnchor(string bootId, long wallMs, long uptimeMs)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO meta(key, value) VALUES('clock_boot_id', $boot), ('clock_wall_ms', $wall), ('clock_uptime_ms', $uptime)
            """;
        command.Parameters.AddWithValue("$boot", bootId);
        command.Parameters.AddWithValue("$wall", wallMs);
        command.Parameters.AddWithValue("$uptime", uptimeMs);
        command.ExecuteNonQuery();
    }

    public (long Count, long Bytes, long OldestTimestamp, long LastSeq, long Dropped) ReadTotals() =>
        ReadTotals(_connection);

    public static (long Count, long Bytes, long OldestTimestamp, long LastSeq, long Dropped) ReadTotals(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT count(*), coalesce(sum(size), 0), coalesce(min(ts), 0),
                   coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0),
                   coalesce((SELECT value FROM meta WHERE key = 'dropped'), 0)
            FROM messages
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
