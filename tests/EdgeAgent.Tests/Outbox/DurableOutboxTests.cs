using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Outbox;

/// <summary>The outbox against a real SQLite file, without a broker (MQTT disabled: it must keep everything).</summary>
public sealed class DurableOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.Combine("outbox.db");

    [Fact]
    public void Accepted_messages_survive_reopening_in_order()
    {
        using (var outbox = Open(new OutboxOptions()))
        {
            outbox.Start();
            for (var i = 1; i <= 500; i++)
            {
                outbox.Enqueue("events/test"u8, System.Text.Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"), MessageOptions.Event);
            }
        }

        using var reopened = Open(new OutboxOptions());
        reopened.Statistics.Depth.Should().Be(500);
        Payloads().Should().Equal(Enumerable.Range(1, 500).Select(i => $"{{\"n\":{i}}}"));
    }

    [Fact]
    public async Task Commits_reach_the_database_file_through_the_background_checkpoint_not_in_the_commit()
    {
        using var outbox = Open(new OutboxOptions());
        outbox.Start();
        var payload = new byte[1000];
        for (var i = 0; i < 2000; i++)
        {
            outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
        }

        // Automatic checkpoints are off on the writer's connection, so only the checkpointer moves the ~2 MB of
        // committed rows from the log into the database file (it starts at a few pages).
        await Poll.UntilAsync(() => new FileInfo(DbPath).Length > 2000 * 1000, TimeSpan.FromSeconds(20), "the database file holding the committed rows");
        outbox.Checkpointer.Checkpoints.Should().BeGreaterThan(0);
        outbox.Checkpointer.Failures.Should().Be(0);
    }

    [Fact]
    public void Under_writes_that_never_pause_the_write_ahead_log_stays_bounded()
    {
        // 160 MiB through the outbox as fast as the pump commits: a passive checkpoint alone never reaches the end of
        // a log that is always being appended to, so without the RESTART (16 MiB) and the commit's own checkpoint
        // (64 MiB) the log would hold all of it.
        var payload = new byte[4000];
        long walMax = 0, restarts, blocked;
        using (var outbox = Open(new OutboxOptions { MaxMegabytes = 512 }))
        {
            outbox.Start();
            for (var i = 0; i < 40 * 1024; i++)
            {
                outbox.Enqueue("events/test"u8, payload, i % 64 == 63 ? MessageOptions.Event : new MessageOptions(0, false));
                if (i % 1024 == 0 && File.Exists(DbPath + "-wal"))
                {
                    walMax = Math.Max(walMax, new FileInfo(DbPath + "-wal").Length);
                }
            }

            outbox.Checkpointer.Failures.Should().Be(0);
            outbox.Statistics.Depth.Should().Be(40 * 1024);
            (restarts, blocked) = (outbox.Checkpointer.Restarts, outbox.Checkpointer.Blocked);
        }

        walMax.Should().BeLessThan(96L * 1024 * 1024, $"the log is rewritten from its start instead of holding all 160 MiB ({restarts} restarts, {blocked} blocked)");
        using var reopened = Open(new OutboxOptions { MaxMegabytes = 512 });
        reopened.Statistics.Depth.Should().Be(40 * 1024, "every message committed while the checkpointer ran is in the file");
    }

    [Fact]
    public async Task A_reader_holding_an_old_snapshot_blocks_the_log_restart_without_losing_anything_and_the_log_shrinks_after()
    {
        // A reader that keeps a read transaction open (a user's sqlite3 shell on the file) pins the log: no checkpoint
        // may copy past its snapshot and no RESTART can start the log over. The RESTART must give up waiting for it
        // (counted as blocked, not as a restart and not as a failure), the writer must go on committing, and once the
        // reader is gone the log must start over and its file shrink back.
        var payload = new byte[4000];
        using var outbox = Open(new OutboxOptions { MaxMegabytes = 512 });
        outbox.Start();
        outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
        using var reader = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        reader.Open();
        using var transaction = reader.BeginTransaction(deferred: true);
        using (var count = reader.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT count(*) FROM messages";
            count.ExecuteScalar().Should().Be(1L);
        }

        // 24 MiB: past the RESTART's 16 MiB, under the commit's own checkpoint at 64 MiB.
        for (var i = 0; i < 6 * 1024; i++)
        {
            outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
        }

        await Poll.UntilAsync(() => outbox.Checkpointer.Blocked > 0, TimeSpan.FromSeconds(30), "a RESTART counted as blocked by the reader");
        outbox.Checkpointer.Restarts.Should().Be(0, "the reader's snapshot is still in use");
        outbox.Checkpointer.Failures.Should().Be(0, "a blocked checkpoint is not an error");
        new FileInfo(DbPath + "-wal").Length.Should().BeGreaterThan(20L * 1024 * 1024, "the log holds every commit since the reader's snapshot");
        outbox.Statistics.Depth.Should().Be(1 + (6 * 1024));

        transaction.Commit();
        reader.Close();
        for (var i = 0; i < 1024; i++)
        {
            outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
        }

        // The log starts over and its file is cut back to about the 16 MiB bound (4,096 frames of a page and a
        // header, and what the writer appended before the restart) instead of keeping the ~100 MB the reader made it grow to.
        await Poll.UntilAsync(() => new FileInfo(DbPath + "-wal").Length <= 24L * 1024 * 1024, TimeSpan.FromSeconds(30), "the log file cut back to about 16 MiB");
        outbox.Checkpointer.Failures.Should().Be(0);
        outbox.Statistics.Depth.Should().Be(1 + (7 * 1024));
    }

    [Fact]
    public void At_its_size_cap_drops_the_oldest_and_counts_them()
    {
        var payload = new byte[2000];
        payload.AsSpan().Fill((byte)'x');
        using (var outbox = Open(new OutboxOptions { MaxMegabytes = 1 }))
        {
            outbox.Start();
            for (var i = 0; i < 1500; i++)
            {
                outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
            }

            var stats = outbox.Statistics;
            stats.Bytes.Should().BeLessThanOrEqualTo(1024 * 1024);
            stats.Dropped.Should().BeGreaterThan(900, "3 MB went into a 1 MB outbox");
            (stats.Depth + stats.Dropped).Should().Be(1500, "every message is either kept or counted as dropped");
        }

        // The newest survive, contiguous up to the last one; the count of dropped ones is kept in the file.
        using var connection = OutboxStore.OpenReadOnly(DbPath)!;
        var (depth, _, _, lastSeq, dropped) = OutboxStore.ReadTotals(connection);
        lastSeq.Should().Be(1500);
        Seqs(connection).Should().Equal(Enumerable.Range((int)(1500 - depth + 1), (int)depth).Select(i => (long)i));
        dropped.Should().Be(1500 - depth);
    }

    [Fact]
    public void A_corrupted_file_is_moved_aside_with_a_clear_log_line_and_a_new_outbox_starts()
    {
        var garbage = new byte[8192];
        new Random(7).NextBytes(garbage);
        File.WriteAllBytes(DbPath, garbage);

        var logger = new CollectingLogger<DurableOutbox>();
        using (var outbox = new DurableOutbox(new OutboxOptions(), DbPath, logger))
        {
            outbox.Start();
            outbox.Enqueue("events/test"u8, "{}"u8, MessageOptions.Event);
            outbox.Statistics.Depth.Should().Be(1);
        }

        var aside = Directory.GetFiles(_dir.Path, "outbox.db.unreadable-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).Should().ContainSingle().Subject;
        File.ReadAllBytes(aside).Should().Equal(garbage, "the damaged file is kept for inspection, untouched");
        logger.Lines.Should().Contain(l => l.Contains(DbPath, StringComparison.Ordinal) && l.Contains("moved aside", StringComparison.Ordinal) && l.Contains(aside, StringComparison.Ordinal));
    }

    [Fact]
    public void A_foreign_sqlite_database_is_moved_aside_not_used()
    {
        using (var foreign = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            foreign.Open();
            using var command = foreign.CreateCommand();
            command.CommandText = "CREATE TABLE customers(name TEXT); INSERT INTO customers VALUES('keep me');";
            command.ExecuteNonQuery();
        }

        var logger = new CollectingLogger<DurableOutbox>();
        using (var outbox = new DurableOutbox(new OutboxOptions(), DbPath, logger))
        {
            outbox.Statistics.Depth.Should().Be(0);
        }

        logger.Lines.Should().Contain(l => l.Contains("not an EdgeAgent outbox", StringComparison.Ordinal));
        Directory.GetFiles(_dir.Path, "outbox.db.unreadable-*").Should().NotBeEmpty();
    }

    [Fact]
    public void Enqueue_allocates_nothing_once_warm()
    {
        using var outbox = Open(new OutboxOptions());
        outbox.Start();
        var payload = new byte[300];
        for (var i = 0; i < 2000; i++)
        {
            outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
        {
            outbox.Enqueue("events/test"u8, payload, MessageOptions.Event);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void A_second_process_on_the_same_outbox_is_refused_with_the_fix()
    {
        using var first = Open(new OutboxOptions());
        var second = () => Open(new OutboxOptions());
        second.Should().Throw<EdgeAgent.Configuration.AgentStartupException>()
            .WithMessage("*in use by another edgeagent process*Fix:*");
    }

    public void Dispose() => _dir.Dispose();

    private DurableOutbox Open(OutboxOptions options) => new(options, DbPath, NullLogger<DurableOutbox>.Instance);

    private List<string> Payloads()
    {
        using var connection = OutboxStore.OpenReadOnly(DbPath)!;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload FROM messages ORDER BY seq";
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(System.Text.Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return result;
    }

    private static List<long> Seqs(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM messages ORDER BY seq";
        using var reader = command.ExecuteReader();
        var result = new List<long>();
        while (reader.Read())
        {
            result.Add(reader.GetInt64(0));
        }

        return result;
    }
}
