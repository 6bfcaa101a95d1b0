using System.Diagnostics;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Data.Sqlite;

namespace EdgeAgent.Outbox;

/// <summary>
/// Running on a full disk (issue 17, defect 6). A commit that fails because the file cannot grow does not stop the
/// pump: its messages are held in memory (<see cref="HeldMessages"/>, bounded) and their callers go on; they are sent
/// to the broker after everything already in the file, in order, with the same QoS and ids; acknowledged ones are
/// forgotten. Every probe interval (doubling up to a bound) the pump tries a real commit again: the held messages
/// first, then the new ones. When it succeeds the state clears. Messages already in the file are never touched by
/// any of this: they are read and sent as before, and deleted once acknowledged when the disk has room again.
/// </summary>
public sealed partial class DurableOutbox
{
    private readonly LogRateLimiter _overflowLog = new(burst: 1, TimeSpan.FromSeconds(10));

    // A disk with a page or two free lets a probe through and fails the next batch: the state may flip quickly, the
    // log says so at most once a minute (health, telemetry and metrics always show the current state).
    private readonly LogRateLimiter _stateLog = new(burst: 1, TimeSpan.FromMinutes(1));
    private bool _episodeLogged;

    private readonly HeldMessages _held;
    private volatile bool _diskFull;
    private volatile string? _diskFullReason;
    private long _nextProbe;
    private int _probeSeconds;
    private long _lastSeq;
    private long _unpersisted;
    private long _deliveredUnpersisted;
    private long _heldDropped;
    private long _heldDroppedSinceLog;
    private long _diskFullEpisodes;

    /// <summary>True while the outbox file cannot be written (disk full) and new messages are held in memory.</summary>
    public bool DiskFull => _diskFull;

    /// <summary>One commit of the staged messages, or, while the disk is full and no probe is due, holding them in memory.</summary>
    private bool Persist(bool stopping)
    {
        var batch = _writing;
        if (_diskFull && !stopping && Stopwatch.GetTimestamp() < Volatile.Read(ref _nextProbe))
        {
            return Hold(batch);
        }

        try
        {
            var wrote = WriteTransaction(batch);
            if (_diskFull)
            {
                Resumed();
            }

            return wrote;
        }
        catch (SqliteException ex) when (OutboxStore.IsOutOfSpace(ex))
        {
            OutOfSpace(ex);
            return Hold(batch);
        }
    }

    /// <summary>The staged batch goes to memory; its callers return as if it had been committed.</summary>
    private bool Hold(StagingBatch batch)
    {
        batch.Sendable = false; // sent from the held queue, which now owns copies of it
        if (batch.Count == 0)
        {
            return false;
        }

        long dropped = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var seq = ++_lastSeq;
            batch.SetSeq(i, seq);
            dropped += _held.Add(seq, batch.TimestampMs(i), batch.Qos(i), batch.Retain(i), batch.Topic(i), batch.Payload(i));
        }

        Volatile.Write(ref _accepted, _accepted + batch.Count);
        Volatile.Write(ref _unpersisted, _unpersisted + batch.Count);
        if (dropped > 0)
        {
            Volatile.Write(ref _heldDropped, _heldDropped + dropped);
            _heldDroppedSinceLog += dropped;
            if (_overflowLog.TryAcquire())
            {
                LogHeldOverflow(_logger, _heldDroppedSinceLog, _options.DiskFull.MemoryMessages, _options.DiskFull.MemoryMegabytes, Volatile.Read(ref _heldDropped));
                _heldDroppedSinceLog = 0;
            }
        }

        lock (_sync)
        {
            _committedTicket = batch.LastTicket;
            Monitor.PulseAll(_sync);
        }

        return true;
    }

    private void OutOfSpace(SqliteException error)
    {
        var wasFull = _diskFull;
        _probeSeconds = wasFull ? Math.Min(_probeSeconds * 2, _options.DiskFull.ProbeMaxSeconds) : _options.DiskFull.ProbeSeconds;
        Volatile.Write(ref _nextProbe, Stopwatch.GetTimestamp() + (_probeSeconds * Stopwatch.Frequency));
        _diskFullReason = error.Message;
        if (!wasFull)
        {
            Interlocked.Increment(ref _diskFullEpisodes);
            _diskFull = true;
            _episodeLogged = _stateLog.TryAcquire();
            if (_episodeLogged)
            {
                LogDiskFull(_logger, Path, error.Message, _options.DiskFull.MemoryMessages, _options.DiskFull.MemoryMegabytes, _probeSeconds);
            }
        }
    }

    private void Resumed()
    {
        _diskFull = false;
        _diskFullReason = null;
        if (_episodeLogged)
        {
            LogResumed(_logger, Path, Volatile.Read(ref _deliveredUnpersisted), Volatile.Read(ref _heldDropped));
        }
    }

    /// <summary>After acknowledgements: held messages the broker has acknowledged need no file any more.</summary>
    private void ForgetDelivered()
    {
        if (_held.Count > 0 && _held.RemoveThrough(_ackedThrough) is var delivered and > 0)
        {
            Volatile.Write(ref _deliveredUnpersisted, _deliveredUnpersisted + delivered);
        }
    }

    /// <summary>In the probe's transaction, before the new batch: the held messages, under the seqs they were sent with.</summary>
    private (long Count, long Bytes) WriteHeld()
    {
        var writer = new HeldWriter(_store);
        _held.Visit(0, ref writer);

        // Seqs of held messages already delivered (and forgotten) must not be given again after a restart.
        _store.RaiseSequence(_lastSeq);
        return (writer.Count, writer.Bytes);
    }

    private struct HeldWriter(OutboxStore store) : IOutboxRowVisitor
    {
        public long Count { get; private set; }

        public long Bytes { get; private set; }

        public bool Visit(long seq, long timestampMs, byte qos, bool retain, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
        {
            store.Insert(seq, timestampMs, qos, retain, topic, payload);
            Count++;
            Bytes += OutboxStore.SizeOf(topic.Length, payload.Length);
            return true;
        }
    }
}
