using EdgeAgent.Pipelines.Supervision;
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
/// Under writes that never pause, a passive checkpoint never catches the log's end and the log would only grow. When
/// the log may have passed <see cref="RestartPages"/> (the last checkpoint's count plus the pages committed since),
/// the writer itself runs a RESTART checkpoint between two transactions (<see cref="RestartIfDue"/>), which lets the
/// next commit start the log from its beginning. It is the writer's job, on its own count, because a RESTART needs the
/// write lock: run from this thread, it had to win that lock between two commits through SQLite's polling busy handler
/// and lost the race for seconds at a time, and when this thread got little CPU it did not look at the log often
/// enough (the log reached 127-158 MB in the 160 MiB test on a loaded machine). SQLite's own checkpoint in the commit
/// stays as a backstop at 4x the bound (see <see cref="OutboxStore"/>).
/// </summary>
internal sealed partial class WalCheckpointer : IDisposable
{
    /// <summary>SQLite's default automatic checkpoint, in 4 KiB pages.</summary>
    public const int CheckpointPages = 1000;

    /// <summary>16 MiB of 4 KiB pages: the log's bound under sustained writes.</summary>
    public const int RestartPages = 4096;

    private const int PageBytes = 4096;

    // How long the writer's RESTART waits for readers of an older snapshot. It holds the write lock meanwhile, so this
    // is how long a reader that keeps a transaction open (a user's sqlite3 shell; none of the agent's own readers
    // does) can hold up the next commit. It then gives up, counted as blocked, and a later one tries again.
    private const int RestartWaitMilliseconds = 100;

    private readonly SqliteConnection? _connection;
    private readonly sqlite3? _db;
    private readonly sqlite3_stmt? _passive;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _committed = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _checkpoints;
    private long _restarts;
    private long _blocked;
    private long _failures;
    private readonly LogRateLimiter _failureLog = new(burst: 1, TimeSpan.FromMinutes(1));
    private long _pagesSinceCheckpoint;

    // The pump's running count of pages committed, and the log's size minus that count as of the last look at the log
    // (a checkpoint here, or the writer's restart): their sum bounds the log's size now, however stale the look.
    private long _pagesWritten;
    private long _logBase;

    // Set while the writer has a RESTART to run: a passive checkpoint here would hold the checkpoint lock the RESTART
    // waits for, and copying a large log on a loaded machine takes longer than that wait (66 of 69 RESTARTs gave up
    // in one 160 MiB test run before this).
    private volatile bool _restartPending;

    /// <param name="ownConnection">
    /// False when the outbox was opened in exclusive locking mode (on a full disk): no other connection can use the
    /// file, so there is no checkpoint thread and only the writer's own RESTARTs (and SQLite's backstop) bound the log.
    /// </param>
    public WalCheckpointer(string path, OutboxSynchronous synchronous, ILogger logger, bool ownConnection = true)
    {
        _logger = logger;
        _path = path;
        _thread = new Thread(Run) { Name = "outbox-checkpoint", IsBackground = true };
        if (!ownConnection)
        {
            return;
        }

        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        _connection.Open();
        _db = _connection.Handle!;
        Execute($"PRAGMA synchronous={synchronous.ToString().ToUpperInvariant()}");
        _passive = Prepare("PRAGMA wal_checkpoint(PASSIVE)"u8);
    }

    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>RESTARTs that started the log over.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>
    /// RESTARTs that gave up waiting for a reader of an older snapshot, or for a passive checkpoint that was still
    /// copying: nothing is lost, a later one starts the log over.
    /// </summary>
    public long Blocked => Interlocked.Read(ref _blocked);

    public long Failures => Interlocked.Read(ref _failures);

    public void Start()
    {
        if (_connection is not null)
        {
            _thread.Start();
        }
    }

    /// <summary>
    /// On the pump thread after each commit, with the bytes of messages it added and whether it deleted any: an estimate
    /// of the pages it wrote (its rows' pages, the b-tree and sequence pages it touched). No allocation; the thread is
    /// woken once the estimate reaches <see cref="CheckpointPages"/>.
    /// </summary>
    public void OnCommitted(long addedBytes, bool deleted)
    {
        // Rows near a page's size spill into overflow pages, so count a page per 2 KiB added: early rather than late.
        var pages = 2 + (addedBytes / (PageBytes / 2)) + (deleted ? 2 : 0);
        Volatile.Write(ref _pagesWritten, _pagesWritten + pages);
        _pagesSinceCheckpoint += pages;
        if (_pagesSinceCheckpoint >= CheckpointPages)
        {
            _pagesSinceCheckpoint = 0;
            _committed.Set();
        }
    }

    /// <summary>
    /// On the pump thread between transactions: when the log may be past <see cref="RestartPages"/>, runs a RESTART on
    /// the writer's own connection, which holds no lock then, so there is no race for it. The passive checkpoints have
    /// copied most of the log by then. With pauses between writes (the normal case) a passive checkpoint reaches the
    /// log's end, the log starts over on its own and this never runs. Allocates nothing unless it fails.
    /// </summary>
    public void RestartIfDue(OutboxStore store)
    {
        if (Volatile.Read(ref _logBase) + _pagesWritten < RestartPages)
        {
            return;
        }

        _restartPending = true;
        var restarted = false;
        try
        {
            restarted = store.RestartLog(RestartWaitMilliseconds);
            Interlocked.Increment(ref restarted ? ref _restarts : ref _blocked);
        }
        catch (SqliteException ex)
        {
            CountFailure(ex);
        }

        // Not restarted: try again after one more checkpoint's worth of commits, not after every round.
        Volatile.Write(ref _logBase, (restarted ? 0 : RestartPages - CheckpointPages) - _pagesWritten);
        _restartPending = !restarted;
    }

    public void Dispose()
    {
        _stopping = true;
        _committed.Set();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(5)))
        {
            return; // still inside SQLite; the process exit closes the file
        }

        _passive?.Dispose();
        _connection?.Dispose();
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

            if (_restartPending)
            {
                continue;
            }

            var written = Volatile.Read(ref _pagesWritten);
            var logPages = Checkpoint();
            if (logPages >= 0)
            {
                Volatile.Write(ref _logBase, logPages - written);
            }

            Interlocked.Increment(ref _checkpoints);
        }
    }

    /// <summary>Runs one passive checkpoint; returns the log's size in pages, or -1 when it failed (counted, logged once a minute).</summary>
    private long Checkpoint()
    {
        try
        {
            var rc = raw.sqlite3_step(_passive!);
            if (rc != raw.SQLITE_ROW)
            {
                throw new SqliteException(raw.sqlite3_errmsg(_db!).utf8_to_string() ?? $"SQLite error {rc}", rc);
            }

            // Columns: busy (another checkpoint held the lock), pages in the log, pages copied into the database.
            return raw.sqlite3_column_int(_passive!, 0) == 0 ? raw.sqlite3_column_int64(_passive!, 1) : -1;
        }
        catch (SqliteException ex)
        {
            CountFailure(ex);
            return -1;
        }
        finally
        {
            raw.sqlite3_reset(_passive!);
        }
    }

    // A failed checkpoint loses nothing (the log keeps every commit); the next cadence tries again. Called from this
    // thread and the pump's: the limiter lets one of them log, once a minute.
    private void CountFailure(SqliteException ex)
    {
        var failures = Interlocked.Increment(ref _failures);
        if (_failureLog.TryAcquire())
        {
            LogCheckpointFailed(_logger, _path, ex.Message, failures);
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection!.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sqlite3_stmt Prepare(ReadOnlySpan<byte> sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db!, sql, out var statement);
        return rc == raw.SQLITE_OK ? statement : throw new SqliteException(raw.sqlite3_errmsg(_db!).utf8_to_string() ?? $"SQLite error {rc}", rc);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing the outbox's write-ahead log {Path} failed: {Reason} ({Failures} failures so far; nothing is lost, the log grows until a checkpoint succeeds)")]
    private static partial void LogCheckpointFailed(ILogger logger, string path, string reason, long failures);
}
