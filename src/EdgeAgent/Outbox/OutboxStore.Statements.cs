using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EdgeAgent.Outbox;

/// <summary>The prepared statements: raw SQLite calls bound with spans (no per-message allocation).</summary>
internal sealed partial class OutboxStore
{
    public void Begin()
    {
        if (!_inTransaction)
        {
            Step(_begin, raw.SQLITE_DONE);
            _inTransaction = true;
        }
    }

    public void Commit()
    {
        if (_inTransaction)
        {
            Step(_commit, raw.SQLITE_DONE);
            _inTransaction = false; // after: a COMMIT that failed still needs the rollback below
        }
    }

    /// <summary>
    /// Copies what is left of the log into the database and makes the next commit start the log from its beginning
    /// (a RESTART checkpoint), between transactions. It waits at most <paramref name="waitMilliseconds"/> for readers
    /// of an older snapshot; false if they were still there (nothing is lost: the log goes on growing).
    /// </summary>
    public bool RestartLog(int waitMilliseconds)
    {
        raw.sqlite3_busy_timeout(_db, waitMilliseconds);
        try
        {
            var rc = raw.sqlite3_step(_restartLog);
            if (rc != raw.SQLITE_ROW)
            {
                throw Error(rc);
            }

            // Columns: busy (it could not finish), pages in the log, pages copied into the database.
            return raw.sqlite3_column_int(_restartLog, 0) == 0;
        }
        finally
        {
            raw.sqlite3_reset(_restartLog);
            raw.sqlite3_busy_timeout(_db, BusyMilliseconds);
        }
    }

    public void RollbackQuietly()
    {
        // A COMMIT that failed (SQLITE_FULL while writing the log) may leave the transaction open or may have rolled it
        // back itself, so ask SQLite too.
        if (_inTransaction)
        {
            _inTransaction = false;
            if (raw.sqlite3_get_autocommit(_db) != 0)
            {
                return;
            }

            raw.sqlite3_step(_rollback);
            raw.sqlite3_reset(_rollback);
        }
    }

    /// <summary>
    /// Whether <paramref name="error"/> means the file could not grow: SQLITE_FULL (the unix VFS maps ENOSPC to it),
    /// or the shared-memory index that could not be extended (SQLITE_IOERR_SHMSIZE: SQLite writes a byte into each new
    /// page of it so that a full disk fails here rather than with SIGBUS). Such a failure rolls the transaction back and
    /// leaves the file as it was; the outbox holds messages in memory and tries again later.
    /// </summary>
    public static bool IsOutOfSpace(SqliteException error) =>
        (error.SqliteErrorCode & 0xFF) == raw.SQLITE_FULL || (error.SqliteExtendedErrorCode & 0xFF) == raw.SQLITE_FULL ||
        error.SqliteExtendedErrorCode == raw.SQLITE_IOERR_SHMSIZE;

    /// <summary>
    /// Makes sure no seq up to <paramref name="seq"/> is ever given again: messages delivered from memory while the
    /// disk was full used seqs (and so ids) that never reached the file.
    /// </summary>
    public void RaiseSequence(long seq)
    {
        raw.sqlite3_bind_int64(_raiseSequence, 1, seq);
        Step(_raiseSequence, raw.SQLITE_DONE);
        raw.sqlite3_bind_int64(_seedSequence, 1, seq);
        Step(_seedSequence, raw.SQLITE_DONE);
    }

    /// <summary>Appends one message with the next seq, <paramref name="seq"/> (the pump numbers messages itself: see <see cref="RaiseSequence"/>).</summary>
    public long Insert(long seq, long timestampMs, byte qos, bool retain, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        raw.sqlite3_bind_int64(_insert, 7, seq);
        raw.sqlite3_bind_int64(_insert, 1, timestampMs);
        raw.sqlite3_bind_int64(_insert, 2, qos);
        raw.sqlite3_bind_int64(_insert, 3, retain ? 1 : 0);
        raw.sqlite3_bind_int64(_insert, 4, SizeOf(topic.Length, payload.Length));
        raw.sqlite3_bind_blob(_insert, 5, topic);
        raw.sqlite3_bind_blob(_insert, 6, payload);
        Step(_insert, raw.SQLITE_DONE);
        return raw.sqlite3_last_insert_rowid(_db);
    }

    public static long SizeOf(int topicLength, int payloadLength) => topicLength + payloadLength + RowOverhead;

    /// <summary>Reads up to <paramref name="limit"/> messages after <paramref name="afterSeq"/>, in order, into <paramref name="visitor"/>.</summary>
    public int ReadAfter<TVisitor>(long afterSeq, int limit, ref TVisitor visitor)
        where TVisitor : struct, IOutboxRowVisitor, allows ref struct
    {
        raw.sqlite3_bind_int64(_selectAfter, 1, afterSeq);
        raw.sqlite3_bind_int64(_selectAfter, 2, limit);
        var rows = 0;
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_selectAfter)) == raw.SQLITE_ROW)
            {
                rows++;
                var keepGoing = visitor.Visit(
                    raw.sqlite3_column_int64(_selectAfter, 0),
                    raw.sqlite3_column_int64(_selectAfter, 1),
                    (byte)raw.sqlite3_column_int64(_selectAfter, 2),
                    raw.sqlite3_column_int64(_selectAfter, 3) != 0,
                    raw.sqlite3_column_blob(_selectAfter, 4),
                    raw.sqlite3_column_blob(_selectAfter, 5));
                if (!keepGoing)
                {
                    break;
                }
            }

            if (rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
            {
                throw Error(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_selectAfter);
        }

        return rows;
    }

    /// <summary>Deletes every message up to and including <paramref name="seq"/>; returns how many and their size.</summary>
    public (long Count, long Bytes) DeleteThrough(long seq)
    {
        raw.sqlite3_bind_int64(_sumThrough, 1, seq);
        var (count, bytes) = ReadPair(_sumThrough);
        if (count > 0)
        {
            raw.sqlite3_bind_int64(_deleteThrough, 1, seq);
            Step(_deleteThrough, raw.SQLITE_DONE);
        }

        return (count, bytes);
    }

    /// <summary>The seq through which the oldest messages must go to free at least <paramref name="bytesToFree"/>.</summary>
    public long SeqFreeing(long bytesToFree)
    {
        long after = 0;
        long freed = 0;
        while (true)
        {
            raw.sqlite3_bind_int64(_oldest, 1, after);
            raw.sqlite3_bind_int64(_oldest, 2, 512);
            var any = false;
            try
            {
                while (raw.sqlite3_step(_oldest) == raw.SQLITE_ROW)
                {
                    any = true;
                    after = raw.sqlite3_column_int64(_oldest, 0);
                    freed += raw.sqlite3_column_int64(_oldest, 1);
                    if (freed >= bytesToFree)
                    {
                        return after;
                    }
                }
            }
            finally
            {
                raw.sqlite3_reset(_oldest);
            }

            if (!any)
            {
                return after;
            }
        }
    }

    /// <summary>Timestamp (Unix ms) of the oldest message, 0 when empty.</summary>
    public long OldestTimestamp()
    {
        raw.sqlite3_bind_int64(_oldest, 1, 0);
        raw.sqlite3_bind_int64(_oldest, 2, 1);
        try
        {
            return raw.sqlite3_step(_oldest) == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_oldest, 2) : 0;
        }
        finally
        {
            raw.sqlite3_reset(_oldest);
        }
    }

    /// <summary>The newest seq among messages older than <paramref name="cutoffMs"/>, 0 if none.</summary>
    public long LastSeqOlderThan(long cutoffMs)
    {
        raw.sqlite3_bind_int64(_sumOlderThan, 1, cutoffMs);
        try
        {
            return raw.sqlite3_step(_sumOlderThan) == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_sumOlderThan, 2) : 0;
        }
        finally
        {
            raw.sqlite3_reset(_sumOlderThan);
        }
    }

    public void SetDropped(long dropped)
    {
        raw.sqlite3_bind_int64(_setDropped, 1, dropped);
        Step(_setDropped, raw.SQLITE_DONE);
    }

    public void Dispose()
    {
        RollbackQuietly();
        foreach (var statement in new[] { _begin, _commit, _rollback, _insert, _selectAfter, _sumThrough, _deleteThrough, _oldest, _sumOlderThan, _setDropped, _restartLog, _raiseSequence, _seedSequence })
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }

    private (long, long) ReadPair(sqlite3_stmt statement)
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_ROW)
            {
                throw Error(rc);
            }

            return (raw.sqlite3_column_int64(statement, 0), raw.sqlite3_column_int64(statement, 1));
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void Step(sqlite3_stmt statement, int expected)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != expected)
        {
            throw Error(rc);
        }
    }

    private sqlite3_stmt Prepare(ReadOnlySpan<byte> sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }

        return statement;
    }

    private SqliteException Error(int rc) => new(raw.sqlite3_errmsg(_db).utf8_to_string() ?? $"SQLite error {rc}", rc, raw.sqlite3_extended_errcode(_db));
}
