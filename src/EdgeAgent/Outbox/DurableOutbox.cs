using System.Diagnostics;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Outbox;

/// <summary>
/// The durable store-and-forward queue: <see cref="Enqueue"/> returns once a QoS 1 message is committed to SQLite
/// (callers waiting at the same time share one commit; QoS 0 messages join the next commit without waiting); one pump thread then sends the messages in order through
/// the <see cref="IOutboxSink"/> and deletes them only when the broker has acknowledged them (PUBACK for QoS 1).
/// Bounded by size and age: the oldest messages are dropped and counted, never silently.
/// </summary>
public sealed partial class DurableOutbox : IOutboundQueue, IHealthSource, IDisposable
{
    private readonly object _sync = new();
    private readonly OutboxOptions _options;
    private readonly ILogger<DurableOutbox> _logger;
    private readonly OutboxStore _store;
    private readonly WalCheckpointer _checkpointer;
    private readonly FileStream _lock;
    private readonly ManualResetEventSlim _wake = new(false);
    private StagingBatch _filling = new();
    private StagingBatch _writing = new();
    private long _nextTicket;
    private long _committedTicket;
    private Exception? _fault;
    private bool _stopped;
    private IOutboxSink? _sink;

    private readonly OutboxClock _clock;

    public DurableOutbox(OutboxOptions options, string path, ILogger<DurableOutbox> logger)
        : this(options, path, logger, ClockSources.System)
    {
    }

    /// <param name="clock">Where the outbox's monotonic time comes from; tests step their own wall clock.</param>
    internal DurableOutbox(OutboxOptions options, string path, ILogger<DurableOutbox> logger, ClockSources clock)
    {
        _options = options;
        _logger = logger;
        _lock = TakeLock(path);
        try
        {
            _store = OutboxStore.Open(path, options.Synchronous, (file, aside, reason) => LogMovedAside(_logger, file, reason, aside));
        }
        catch
        {
            _lock.Dispose();
            throw;
        }

        try
        {
            _checkpointer = new WalCheckpointer(path, options.Synchronous, logger, ownConnection: !_store.Exclusive);
        }
        catch
        {
            _store.Dispose();
            _lock.Dispose();
            throw;
        }

        try
        {
            _clock = OutboxClock.Open(_store, clock, reason => LogNoClockAnchor(logger, path, reason));
        }
        catch
        {
            _checkpointer.Dispose();
            _store.Dispose();
            _lock.Dispose();
            throw;
        }

        var totals = _store.ReadTotals();
        _depth = totals.Count;
        _bytes = totals.Bytes;
        _oldestTimestampMs = totals.OldestTimestamp;
        _dropped = totals.Dropped;
        LastSeqAtOpen = totals.LastSeq;
        _lastSeq = totals.LastSeq;
        _held = new HeldMessages(options.DiskFull.MemoryMessages, (long)options.DiskFull.MemoryMegabytes * 1024 * 1024);
        _ackedThrough = 0;
        _idPrefix = System.Text.Encoding.ASCII.GetBytes(_store.Epoch + "-");
        _flightSeq = new long[options.Batching.MaxInFlight];
        _flightMid = new int[options.Batching.MaxInFlight];
        _flightAcked = new bool[options.Batching.MaxInFlight];
        LogOpened(_logger, path, _depth, _bytes / 1024, options.Synchronous.ToString().ToLowerInvariant());
    }

    public string Name => "outbox";

    public string Path => _store.Path;

    /// <summary>The highest seq ever assigned when the file was opened: with one writer, ticket n becomes seq LastSeqAtOpen + n.</summary>
    internal long LastSeqAtOpen { get; }

    internal WalCheckpointer Checkpointer => _checkpointer;

    /// <summary>Called on the pump thread for every acknowledged seq (benchmarks measure enqueue-to-PUBACK with it).</summary>
    internal Action<long>? DeliveredObserver { get; set; }

    /// <summary>Connects the outbox to the broker link; until then (or with MQTT disabled) messages are kept.</summary>
    public void AttachSink(IOutboxSink sink)
    {
        _sink = sink;
        Wake();
    }

    /// <summary>Tells the pump that something changed (connection state, acknowledgements).</summary>
    public void Wake() => _wake.Set();

    public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options) =>
        EnqueueAndGetTicket(relativeTopic, payload, options);

    /// <summary>Enqueues and returns the message's ticket (1, 2, ... per process; the bench maps tickets to seqs).</summary>
    internal long EnqueueAndGetTicket(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
    {
        if (relativeTopic.IsEmpty || relativeTopic.IndexOfAny("#+\0"u8) >= 0)
        {
            throw new ArgumentException("the relative topic must be non-empty and free of wildcards and NUL", nameof(relativeTopic));
        }

        if (options.Qos > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "QoS 0 or 1");
        }

        var now = _clock.NowMs();
        lock (_sync)
        {
            while (_filling.Count >= _options.Batching.MaxMessagesPerCommit && _fault is null && !_stopped)
            {
                Monitor.Wait(_sync);
            }

            ThrowIfUnusable();
            _filling.Add(relativeTopic, payload, options.Qos, options.Retain, now);
            var ticket = ++_nextTicket;
            _filling.LastTicket = ticket;
            _wake.Set();

            // QoS 0 is at-most-once by contract: it is written with the next group commit, but its caller does not
            // wait for that commit (a crash may lose the last milliseconds of QoS 0 traffic, never a QoS 1 event).
            if (options.Qos == 0)
            {
                return ticket;
            }

            while (_committedTicket < ticket)
            {
                if (_fault is not null || _pumpExited)
                {
                    ThrowIfUnusable();
                    throw new InvalidOperationException("the outbox stopped before the message was committed");
                }

                Monitor.Wait(_sync);
            }

            return ticket;
        }
    }

    public OutboxStatistics Statistics => new(
        Volatile.Read(ref _depth),
        Volatile.Read(ref _bytes),
        Volatile.Read(ref _oldestTimestampMs),
        Volatile.Read(ref _dropped),
        Volatile.Read(ref _rejected),
        Volatile.Read(ref _inFlightCount),
        Volatile.Read(ref _accepted),
        Volatile.Read(ref _delivered),
        _diskFull,
        _held.Count,
        _held.Bytes,
        Volatile.Read(ref _unpersisted),
        Volatile.Read(ref _deliveredUnpersisted),
        Volatile.Read(ref _heldDropped));

    public HealthReport Check(long nowTicks)
    {
        if (_fault is { } fault)
        {
            return HealthReport.Unhealthy($"cannot write {Path}: {fault.Message}");
        }

        // The pump goes round at least every 250 ms; a minute without is a hung disk or a bug, which a restart may cure.
        var silent = (nowTicks - Volatile.Read(ref _lastBeat)) / Stopwatch.Frequency;
        if (_pumpThread is not null && !_pumpExited && nowTicks != 0 && silent > 60)
        {
            return HealthReport.Unhealthy($"the outbox pump has made no progress for {silent}s");
        }

        var stats = Statistics;
        var summary = $"{stats.Depth} queued ({stats.Bytes / 1024} KiB), {stats.Dropped} dropped";
        if (stats.DiskFull)
        {
            // Degraded, not unhealthy: events still flow to a connected broker, and a restart would not free the disk.
            return HealthReport.Degraded(
                $"disk_full: {Path} cannot grow ({_diskFullReason}); {stats.Depth} persisted, {stats.Held} held in memory " +
                $"({stats.HeldBytes / 1024} KiB), {stats.DeliveredUnpersisted} delivered unpersisted, {stats.HeldDropped} dropped from memory; " +
                $"trying the disk again every {_probeSeconds}s. Fix: free space in the state directory");
        }

        return stats.Bytes > (long)_options.MaxMegabytes * 1024 * 1024 * 9 / 10
            ? HealthReport.Degraded(summary + ", nearly full")
            : HealthReport.Healthy(summary);
    }

    public void Dispose()
    {
        lock (_sync)
        {
            _stopped = true;
            Monitor.PulseAll(_sync);
        }

        _wake.Set();
        if (_pumpThread is { } thread && !thread.Join(TimeSpan.FromSeconds(10)))
        {
            return; // the pump still owns the store; leave it to the process exit rather than close it under it
        }

        _checkpointer.Dispose();
        _store.Dispose();
        _wake.Dispose();
        _lock.Dispose();
    }

    /// <summary>
    /// One process per outbox: a second agent (or a bench) on the same state directory would send everything twice
    /// and fight over deletions. The lock is released by the kernel when the process dies, even by SIGKILL.
    /// </summary>
    private static FileStream TakeLock(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new EdgeAgent.Configuration.AgentStartupException(
                $"the outbox {path} is in use by another edgeagent process (its lock file {path}.lock is held). " +
                "Fix: stop the other agent (systemctl stop edgeagent) or give this one its own stateDirectory", 69);
        }
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException($"the outbox {Path} cannot be written: {_fault.Message}", _fault);
        }

        if (_stopped)
        {
            throw new InvalidOperationException("the outbox has stopped");
        }
    }

    /// <summary>Now on the time line the messages are stamped with (monotonic within a boot).</summary>
    internal long NowMs() => _clock.NowMs();
}
