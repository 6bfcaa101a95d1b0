using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Outbox;

/// <summary>
/// Issue 17, defect 6: the outbox's SQLite file (WAL) on a small tmpfs filled to the last page. The pump must not
/// fault: new messages are held in memory and sent after the file's backlog, in order, under their own ids; what was in
/// the file stays there; when space returns the held messages are written and the state clears.
/// </summary>
public sealed class DiskFullOutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private SmallTmpfs? _disk;

    private string DbPath => _dir.Combine("state", "outbox.db");

    private static OutboxOptions Options(int memoryMessages = 10_000) => new()
    {
        DiskFull = new OutboxDiskFullOptions { MemoryMessages = memoryMessages, ProbeSeconds = 1, ProbeMaxSeconds = 1 },
    };

    [TmpfsFact]
    public async Task On_a_full_disk_new_messages_go_to_the_broker_after_the_files_backlog_in_order_and_persistence_resumes_when_space_returns()
    {
        _disk = new SmallTmpfs(_dir.Combine("state"), "2m");
        using var outbox = new DurableOutbox(Options(), DbPath, NullLogger<DurableOutbox>.Instance);
        var faults = new ConcurrentQueue<Exception>();
        outbox.FaultHandler = faults.Enqueue;
        outbox.Start();
        Enqueue(outbox, 1, 100); // the broker is not there yet: a backlog in the file
        outbox.Statistics.Depth.Should().Be(100);

        _disk.Fill();
        Enqueue(outbox, 101, 300); // returns: accepted into memory, not an exception
        outbox.DiskFull.Should().BeTrue();
        var held = outbox.Statistics;
        held.Held.Should().Be(200);
        held.Unpersisted.Should().Be(200);
        held.Depth.Should().Be(100, "what was in the file is still there");
        held.Persistence.Should().Be("disk_full");
        var report = outbox.Check(System.Diagnostics.Stopwatch.GetTimestamp());
        report.State.Should().Be(HealthState.Degraded);
        report.Summary.Should().StartWith("disk_full");

        // The broker comes: the file's backlog first, then the held messages, one seq after another.
        var sink = new AcknowledgingSink(outbox);
        outbox.AttachSink(sink);
        await Poll.UntilAsync(() => sink.Sent.Count >= 300 && outbox.Statistics.Held == 0, TimeSpan.FromSeconds(20), "all 300 delivered");
        sink.Payloads().Should().Equal(Enumerable.Range(1, 300).Select(Payload));
        sink.Seqs().Should().Equal(Enumerable.Range(1, 300).Select(i => (long)i));
        outbox.Statistics.DeliveredUnpersisted.Should().Be(200);
        outbox.DiskFull.Should().BeTrue("the disk is still full");

        // Still full, broker connected: straight through.
        Enqueue(outbox, 301, 350);
        await Poll.UntilAsync(() => sink.Sent.Count >= 350, TimeSpan.FromSeconds(20), "messages accepted on the full disk delivered");

        _disk.Free();
        await Poll.UntilAsync(() => !outbox.DiskFull, TimeSpan.FromSeconds(20), "persistence resuming once space returned");
        outbox.Check(System.Diagnostics.Stopwatch.GetTimestamp()).State.Should().Be(HealthState.Healthy);
        Enqueue(outbox, 351, 360);
        await Poll.UntilAsync(() => sink.Sent.Count >= 360 && outbox.Statistics.Depth == 0, TimeSpan.FromSeconds(20), "the last messages delivered and deleted from the file");
        sink.Seqs().Should().Equal(Enumerable.Range(1, 360).Select(i => (long)i), "one seq per message, never given twice");
        faults.Should().BeEmpty();
        outbox.Dispose();

        // Seqs delivered from memory are never given again: the file's sequence went past them.
        using var connection = OutboxStore.OpenReadOnly(DbPath)!;
        OutboxStore.ReadTotals(connection).LastSeq.Should().Be(360);
    }

    [TmpfsFact]
    public async Task Held_messages_not_yet_delivered_are_written_to_the_file_under_their_seqs_when_space_returns()
    {
        _disk = new SmallTmpfs(_dir.Combine("state"), "2m");
        using (var outbox = new DurableOutbox(Options(), DbPath, NullLogger<DurableOutbox>.Instance))
        {
            outbox.Start();
            Enqueue(outbox, 1, 100);
            _disk.Fill();
            Enqueue(outbox, 101, 150);
            outbox.Statistics.Held.Should().Be(50);

            _disk.Free();
            await Poll.UntilAsync(() => !outbox.DiskFull, TimeSpan.FromSeconds(20), "persistence resuming");
            outbox.Statistics.Held.Should().Be(0);
            outbox.Statistics.Depth.Should().Be(150);
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, payload FROM messages ORDER BY seq";
        using var reader = command.ExecuteReader();
        var rows = new List<(long Seq, string Payload)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), Encoding.UTF8.GetString((byte[])reader[1])));
        }

        rows.Should().Equal(Enumerable.Range(1, 150).Select(i => ((long)i, Payload(i))));
    }

    [TmpfsFact]
    public async Task Beyond_the_memory_bound_the_oldest_held_messages_are_dropped_and_counted_never_the_files()
    {
        _disk = new SmallTmpfs(_dir.Combine("state"), "2m");
        using var outbox = new DurableOutbox(Options(memoryMessages: 20), DbPath, NullLogger<DurableOutbox>.Instance);
        outbox.Start();
        Enqueue(outbox, 1, 100);
        _disk.Fill();
        Enqueue(outbox, 101, 150);
        var stats = outbox.Statistics;
        stats.Held.Should().Be(20);
        stats.HeldDropped.Should().Be(30);
        stats.Depth.Should().Be(100);

        var sink = new AcknowledgingSink(outbox);
        outbox.AttachSink(sink);
        await Poll.UntilAsync(() => sink.Sent.Count >= 120, TimeSpan.FromSeconds(20), "the file's 100 and the 20 newest held");
        sink.Payloads().Should().Equal(Enumerable.Range(1, 100).Concat(Enumerable.Range(131, 20)).Select(Payload));
    }

    [TmpfsFact]
    public async Task A_start_on_a_full_disk_opens_the_outbox_sends_what_it_holds_and_resumes_persisting_when_space_returns()
    {
        _disk = new SmallTmpfs(_dir.Combine("state"), "1m");
        using (var outbox = new DurableOutbox(new OutboxOptions(), DbPath, NullLogger<DurableOutbox>.Instance))
        {
            outbox.Start();
            Enqueue(outbox, 1, 20);
        }

        // A clean stop removed outbox.db-shm; a new one cannot be given its pages on the full disk.
        _disk.Fill();
        using var reopened = new DurableOutbox(Options(), DbPath, NullLogger<DurableOutbox>.Instance);
        Directory.GetFiles(_dir.Combine("state"), "outbox.db.unreadable-*").Should().BeEmpty("a full disk is no reason to move the file aside");
        reopened.Statistics.Depth.Should().Be(20);
        reopened.Start();
        Enqueue(reopened, 21, 30);
        reopened.DiskFull.Should().BeTrue();
        var sink = new AcknowledgingSink(reopened);
        reopened.AttachSink(sink);
        await Poll.UntilAsync(() => sink.Sent.Count >= 30, TimeSpan.FromSeconds(20), "the file's 20 and the 10 held");
        sink.Payloads().Should().Equal(Enumerable.Range(1, 30).Select(Payload));

        _disk.Free();
        await Poll.UntilAsync(() => !reopened.DiskFull, TimeSpan.FromSeconds(20), "persistence resuming");
        Enqueue(reopened, 31, 40);
        await Poll.UntilAsync(() => sink.Sent.Count >= 40 && reopened.Statistics.Depth == 0, TimeSpan.FromSeconds(20), "delivered and deleted from the file");
        sink.Seqs().Should().Equal(Enumerable.Range(1, 40).Select(i => (long)i));
    }

    private static string Payload(int i) => $"{{\"n\":{i}}}";

    private static void Enqueue(DurableOutbox outbox, int from, int through)
    {
        for (var i = from; i <= through; i++)
        {
            outbox.Enqueue("events/test"u8, Encoding.UTF8.GetBytes(Payload(i)), MessageOptions.Event);
        }
    }

    public void Dispose()
    {
        _disk?.Dispose();
        _dir.Dispose();
    }

    /// <summary>Acknowledges every message as it is handed over (a broker's PUBACK, at once).</summary>
    private sealed class AcknowledgingSink(DurableOutbox outbox) : EdgeAgent.Outbox.IOutboxSink
    {
        private int _mid;

        public ConcurrentQueue<(string Payload, string Id, byte Qos)> Sent { get; } = new();

        public int ConnectionGeneration => 1;

        public List<string> Payloads() => Sent.Select(s => s.Payload).ToList();

        public List<long> Seqs() => Sent.Select(s => long.Parse(s.Id.Split('-')[1], CultureInfo.InvariantCulture)).ToList();

        public SendResult Send(int generation, ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, byte qos, bool retain, ReadOnlySpan<byte> id, out int mid)
        {
            mid = (++_mid % 65535) + 1;
            Sent.Enqueue((Encoding.UTF8.GetString(payload), Encoding.UTF8.GetString(id.TrimEnd((byte)0)), qos));
            outbox.OnAcknowledged(generation, mid, rejected: false);
            return SendResult.Sent;
        }
    }
}
