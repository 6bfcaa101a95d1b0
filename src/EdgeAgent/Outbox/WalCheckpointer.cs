using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace EdgeAgent.Outbox;

/// <summary>
/// Moves the outbox's write-ahead log into the database file on a thread of its own. SQLite's automatic checkpoint
/// runs inside whichever commit pushes the log past 1,000 pages, so every few hundred commits one event's commit also
/// copied the log and synced the files (1.5 ms on a quiet machine here, 5-11 ms under load, against 0.1 ms for a
/// commit): the tail of the event latency. In WAL mode a passive checkpoint on another connection runs beside the
/// writer without blocking it, so the pump's connection leaves checkpoints to this thread.
/// It checkpoints at SQLite's own cadence, after about <see cref="CheckpointPages"/> pages of commits, not after every
/// commit: a checkpoint that empties the log makes the next commit start the log over, and that commit syncs the
/// log's new header (with synchronous=normal too); checkpointing shortly after every commit put that sync into
/// nearly every event's commit (median 0.1 ms to 0.4-0.6 ms, measured).
/// Under writes that never pause, a passive checkpoint never catches the log's end and the log would only grow; past
/// <see cref="RestartPages"/> a RESTART checkpoint waits for the writer once and lets the next commit start the log
/// from its beginning; writes faster than a checkpoint can copy meet SQLite's own checkpoint in the commit at 4x that
/// (see <see cref="OutboxStore"/>).
/// </summary>
internal sealed partial class WalCheckpointer : IDisposable
{
    /// <summary>SQLite's default automatic checkpoint, in 4 KiB pages.</summary>
    public const int CheckpointPages = 1000;

    /// <summary>16 MiB of 4 KiB pages: the log's bound under sustained writes.</summary>
    public const int RestartPages = 4096;

    private const int PageBytes = 4096;
    private static readonly long LogEvery = Stopwatch.Frequency * 60;

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _passive;
    private readonly sqlite3_stmt _restart;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _committed = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _checkpoints;
    private long _restarts;
    private long _failures;
    private long _lastFailureLog;
    private long _pagesSinceCheckpoint;

    public WalCheckpointer(string path, OutboxSynchronous synchronous, ILogger logger)
    {
        _logger = logger;
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        _connection.Open();
        _db = _connection.Handle!;
        Execute($"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}");
        Execute("PRAGMA busy_timeout=2000");
        _passive = Prepare("PRAGMA wal_checkpoint(PASSIVE)"u8);
        _restart = Prepare("PRAGMA wal_checkpoint(RESTART)"u8);
        _thread = new Thread(Run) { Name = "outbox-checkpoint", IsBackground = true };
    }

    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    public long Restarts => Interlocked.Read(ref _restarts);

    public long Failures => Interlocked.Read(ref _failures);

    public void Start() => _thread.Start();

    /// <summary>
    /// On the pump thread after each commit, with the bytes of messages it added and whether it deleted any: an estimate
    /// of the pages it wrote (its rows' pages, the b-tree and sequence pages it touched). No allocation; the thread is
    /// woken once the estimate reaches <see cref="CheckpointPages"/>.
    /// </summary>
    public void OnCommitted(long addedBytes, bool deleted)
    {
        // Rows near a page's size spill into overflow pages, so count a page per 2 KiB added: early rather than late.
        _pagesSinceCheckpoint += 2 + (addedBytes / (PageBytes / 2)) + (deleted ? 2 : 0);
        if (_pagesSinceCheckpoint >= CheckpointPages)
        {
            _pagesSinceCheckpoint = 0;
            _committed.Set();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _committed.Set();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(5)))
        {
            return; // still inside SQLite; the process exit closes the file
        }

        _passive.Dispose();
        _restart.Dispose();
        _connection.Dispose();
        _committed.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _committed.Wait();
            _committed.Reset();
            if (_stopping)
            {
                return;
            }

            var logPages = Checkpoint(_passive);
            Interlocked.Increment(ref _checkpoints);
            if (logPages > RestartPages && Checkpoint(_restart) >= 0)
            {
                Interlocked.Increment(ref _restarts);
            }
        }
    }

    /// <summary>Runs one checkpoint; returns the log's size in pages, or -1 when it failed (counted, logged once a minute).</summary>
    private long Checkpoint(sqlite3_stmt statement)
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_ROW)
            {
                throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {rc}", rc);
            }

            // Columns: busy (the checkpoint could not finish), pages in the log, pages copied into the database.
            return raw.sqlite3_column_int64(statement, 1);
        }
        catch (SqliteException ex)
        {
            // A failed checkpoint loses nothing (the log keeps every commit); the next commit tries again.
            Interlocked.Increment(ref _failures);
            var now = Stopwatch.GetTimestamp();
            if (now - _lastFailureLog > LogEvery || _lastFailureLog == 0)
            {
                _lastFailureLog = now;
                LogCheckpointFailed(_logger, _connection.DataSource, ex.Message, Failures);
            }

            return -1;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sqlite3_stmt Prepare(ReadOnlySpan<byte> sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        return rc == raw.SQLITE_OK ? statement : throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {rc}", rc);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the outbox's write-ahead log {Path} failed: {Reason} ({Failures} failures so far; nothing is lost, the log grows until a checkpoint succeeds)")]
    private static partial void LogCheckpointFailed(ILogger logger, string path, string reason, long failures);
}
