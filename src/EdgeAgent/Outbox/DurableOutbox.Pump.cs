using System.Diagnostics;

namespace EdgeAgent.Outbox;

/// <summary>The pump thread: group commits, deletions after acknowledgement, size and age limits, sending.</summary>
public sealed partial class DurableOutbox
{
    private static readonly long AgeCheckInterval = Stopwatch.Frequency * 10;

    private Thread? _pumpThread;
    private volatile bool _pumpExited;
    private long _depth;
    private long _bytes;
    private long _oldestTimestampMs;
    private long _dropped;
    private long _rejected;
    private long _accepted;
    private long _delivered;
    private long _lastAgeCheck;
    private long _deletedThrough;
    private long _lastBeat;

    /// <summary>Starts the pump on its own thread (one long-running loop; the host stops it through <see cref="Dispose"/>).</summary>
    public void Start()
    {
        if (_pumpThread is not null)
        {
            return;
        }

        _pumpThread = new Thread(RunPump) { Name = "outbox-pump", IsBackground = true };
        _pumpThread.Start();
        _checkpointer.Start(); // none when opened on a full disk: the writer's own RESTARTs and SQLite's backstop bound the log
        if (_store.Exclusive)
        {
            LogExclusive(_logger, Path);
        }
    }

    private void RunPump()
    {
        try
        {
            while (true)
            {
                Volatile.Write(ref _lastBeat, Stopwatch.GetTimestamp());
                _wake.Reset();
                bool stopping;
                lock (_sync)
                {
                    stopping = _stopped;
                    _writing.Clear();
                    (_filling, _writing) = (_writing, _filling);
                    if (_writing.Count > 0)
                    {
                        Monitor.PulseAll(_sync); // producers held back by a full batch may go on
                    }
                }

                var acks = TakeAcknowledgements();
                ForgetDelivered();
                var wrote = Persist(stopping);
                if (stopping)
                {
                    if (_held.Count > 0)
                    {
                        LogHeldLostAtStop(_logger, _held.Count, Path);
                    }

                    break;
                }

                var sent = Send();

                // After the round's messages went out, so that a log restart never delays the events just committed.
                _checkpointer.RestartIfDue(_store);
                if (!wrote && !sent && acks == 0)
                {
                    _wake.Wait(_waitMilliseconds);
                }
            }
        }
        catch (Exception ex)
        {
            LogFault(_logger, Path, ex.Message, ex);
            lock (_sync)
            {
                _fault = ex;
                Monitor.PulseAll(_sync);
            }

            FaultHandler?.Invoke(ex);
        }
        finally
        {
            lock (_sync)
            {
                _pumpExited = true;
                Monitor.PulseAll(_sync);
            }
        }
    }

    /// <summary>Called when the pump fails for good (disk error): the host stops so systemd restarts the agent.</summary>
    internal Action<Exception>? FaultHandler { get; set; }

    /// <summary>
    /// One transaction: the staged messages, deletions of acknowledged ones, size and age limits. While the disk is
    /// full it is also the probe: it writes the held messages first (and always writes something).
    /// </summary>
    private bool WriteTransaction(StagingBatch batch)
    {
        var deleteThrough = Math.Max(_deletedThrough, _ackedThrough);
        var now = Stopwatch.GetTimestamp();
        var checkAge = now - _lastAgeCheck > AgeCheckInterval;
        var overCap = _bytes > CapBytes;
        var probing = _diskFull;
        if (batch.Count == 0 && deleteThrough == _deletedThrough && !checkAge && !overCap && !probing)
        {
            return false;
        }

        try
        {
            _store.Begin();
            var (flushed, flushedBytes) = probing ? WriteHeld() : (0, 0);
            long added = 0, addedBytes = 0;
            var seq = _lastSeq;
            for (var i = 0; i < batch.Count; i++)
            {
                var topic = batch.Topic(i);
                var payload = batch.Payload(i);
                batch.SetSeq(i, _store.Insert(++seq, batch.TimestampMs(i), batch.Qos(i), batch.Retain(i), topic, payload));
                added++;
                addedBytes += OutboxStore.SizeOf(topic.Length, payload.Length);
            }

            var depth = _depth + added + flushed;
            var bytes = _bytes + addedBytes + flushedBytes;
            long delivered = 0;
            if (deleteThrough > _deletedThrough)
            {
                var (count, size) = _store.DeleteThrough(deleteThrough);
                depth -= count;
                bytes -= size;
                delivered = count;
            }

            long dropped = 0;
            if (checkAge)
            {
                _lastAgeCheck = now;
                var expiredThrough = _store.LastSeqOlderThan(NowMs() - (long)_options.MaxAgeHours * 3_600_000);
                if (expiredThrough > 0)
                {
                    var (count, size) = _store.DeleteThrough(expiredThrough);
                    LogExpired(_logger, count, _options.MaxAgeHours);
                    dropped += count;
                    depth -= count;
                    bytes -= size;
                }
            }

            if (bytes > CapBytes)
            {
                // Free a tenth more than needed so a full outbox drops in chunks, not one row per commit.
                var through = _store.SeqFreeing(bytes - CapBytes + CapBytes / 10);
                var (count, size) = _store.DeleteThrough(through);
                dropped += count;
                depth -= count;
                bytes -= size;
                LogDroppedFull(_logger, count, _options.MaxMegabytes);
            }

            // While probing, always: the probe must really write a page, or an empty round would "succeed" on a full disk.
            if (dropped > 0 || probing)
            {
                _store.SetDropped(_dropped + dropped);
            }

            _store.Commit();
            _lastSeq = seq;
            if (probing)
            {
                _held.Clear(); // in the file now, under the same seqs: sent from there
            }

            _checkpointer.OnCommitted(addedBytes + flushedBytes, delivered + dropped > 0);
            batch.Sendable = dropped == 0;
            _deletedThrough = deleteThrough;
            Volatile.Write(ref _depth, depth);
            Volatile.Write(ref _bytes, bytes);
            Volatile.Write(ref _dropped, _dropped + dropped);
            Volatile.Write(ref _accepted, _accepted + added);
            Volatile.Write(ref _oldestTimestampMs, depth == 0 ? 0 : (delivered + dropped > 0 || _oldestTimestampMs == 0 ? _store.OldestTimestamp() : _oldestTimestampMs));
        }
        catch
        {
            _store.RollbackQuietly();
            throw;
        }

        if (batch.Count > 0)
        {
            // The batch stays readable until the next swap: Send publishes it from memory instead of reading it back.
            lock (_sync)
            {
                _committedTicket = batch.LastTicket;
                Monitor.PulseAll(_sync);
            }
        }

        return true;
    }

    private long CapBytes => (long)_options.MaxMegabytes * 1024 * 1024;
}
