using System.Diagnostics;

namespace EdgeAgent.Outbox;

/// <summary>
/// Sending in order and tracking acknowledgements: a window of in-flight messages (seq and MQTT message id), the
/// prefix of acknowledged seqs (deleted at the next commit), and the drain-rate limit.
/// </summary>
public sealed partial class DurableOutbox
{
    private const int PageSize = 256;

    private readonly Lock _ackLock = new();
    private readonly byte[] _idPrefix;
    private readonly byte[] _idBuffer = GC.AllocateArray<byte>(64, pinned: true);
    private readonly long[] _flightSeq;
    private readonly int[] _flightMid;
    private readonly bool[] _flightAcked;
    private readonly int[] _slotOfMid = new int[65536];
    private long[] _acks = new long[4096];
    private long[] _acksSpare = new long[4096];
    private int _ackCount;
    private int _flightHead;
    private long _inFlightCount;
    private int _generation;
    private long _cursor;
    private long _ackedThrough;
    private double _tokens;
    private long _lastRefill = Stopwatch.GetTimestamp();
    private int _waitMilliseconds = 250;

    /// <summary>
    /// Called by the sink (on its network thread) when the broker acknowledged message <paramref name="mid"/>:
    /// PUBACK for QoS 1, written to the socket for QoS 0. Records and wakes the pump; nothing more.
    /// </summary>
    public void OnAcknowledged(int generation, int mid, bool rejected)
    {
        lock (_ackLock)
        {
            if (_ackCount == _acks.Length)
            {
                Array.Resize(ref _acks, _acks.Length * 2);
            }

            _acks[_ackCount++] = ((long)generation << 32) | ((long)(ushort)mid << 1) | (rejected ? 1L : 0L);
        }

        _wake.Set();
    }

    private int TakeAcknowledgements()
    {
        long[] acks;
        int count;
        lock (_ackLock)
        {
            (acks, _acks) = (_acks, _acksSpare);
            _acksSpare = acks;
            count = _ackCount;
            _ackCount = 0;
        }

        for (var i = 0; i < count; i++)
        {
            var entry = acks[i];
            if ((int)(entry >> 32) != _generation)
            {
                continue; // from a connection that is gone; its messages are sent again
            }

            var mid = (int)((entry >> 1) & 0xFFFF);
            var slot = _slotOfMid[mid] - 1;
            if (slot < 0 || _flightMid[slot] != mid || _flightAcked[slot])
            {
                continue;
            }

            _slotOfMid[mid] = 0;
            _flightAcked[slot] = true;
            if ((entry & 1) != 0)
            {
                Interlocked.Increment(ref _rejected);
                LogRejectedByBroker(_logger, _flightSeq[slot]);
            }

            DeliveredObserver?.Invoke(_flightSeq[slot]);
        }

        // The acknowledged prefix advances only over contiguous acknowledgements: a restart resends from there.
        var window = _flightSeq.Length;
        while (_inFlightCount > 0 && _flightAcked[_flightHead])
        {
            _ackedThrough = _flightSeq[_flightHead];
            _flightAcked[_flightHead] = false;
            _flightHead = (_flightHead + 1) % window;
            _inFlightCount--;
            _delivered++;
        }

        return count;
    }

    /// <summary>Sends what the window and the drain rate allow. Returns whether anything was sent.</summary>
    private bool Send()
    {
        var sink = _sink;
        var generation = sink?.ConnectionGeneration ?? 0;
        if (generation != _generation)
        {
            // A new connection (or none): everything not acknowledged goes again, in order, from the acknowledged prefix.
            ResetWindow(generation);
        }

        if (sink is null || generation == 0)
        {
            _waitMilliseconds = 250;
            return false;
        }

        var room = _flightSeq.Length - (int)_inFlightCount;
        var allowed = Math.Min(room, TakeTokens(room));
        if (allowed <= 0)
        {
            return false;
        }

        var visitor = new SendVisitor(this, sink, generation, allowed);

        // Caught up: the batch just committed is exactly what comes next, and it is still in memory.
        var batch = _writing;
        if (batch.Sendable && batch.Count > 0 && _cursor >= batch.Seq(0) - 1)
        {
            for (var i = 0; i < batch.Count && visitor.Remaining > 0 && !visitor.Stop; i++)
            {
                if (batch.Seq(i) > _cursor)
                {
                    visitor.Visit(batch.Seq(i), batch.TimestampMs(i), batch.Qos(i), batch.Retain(i), batch.Topic(i), batch.Payload(i));
                }
            }
        }

        while (visitor.Remaining > 0 && !visitor.Stop)
        {
            var rows = _store.ReadAfter(_cursor, Math.Min(PageSize, visitor.Remaining), ref visitor);
            if (rows == 0)
            {
                break;
            }
        }

        // Messages held in memory while the disk is full come after everything in the file (their seqs are higher).
        if (visitor.Remaining > 0 && !visitor.Stop && _held.Count > 0)
        {
            _held.Visit(_cursor, ref visitor);
        }

        ReturnTokens(allowed - visitor.Sent);
        return visitor.Sent > 0;
    }

    private void ResetWindow(int generation)
    {
        _generation = generation;
        Array.Clear(_slotOfMid);
        Array.Clear(_flightAcked);
        _flightHead = 0;
        _inFlightCount = 0;
        _cursor = Math.Max(_ackedThrough, _deletedThrough);
    }

    private void Track(long seq, int mid)
    {
        var slot = (int)((_flightHead + _inFlightCount) % _flightSeq.Length);
        _flightSeq[slot] = seq;
        _flightMid[slot] = mid;
        _flightAcked[slot] = false;
        _slotOfMid[mid & 0xFFFF] = slot + 1;
        _inFlightCount++;
        _cursor = seq;
    }

    /// <summary>A message that can never be sent counts as acknowledged (so the queue moves on) and as rejected.</summary>
    private void Skip(long seq)
    {
        var slot = (int)((_flightHead + _inFlightCount) % _flightSeq.Length);
        _flightSeq[slot] = seq;
        _flightMid[slot] = -1;
        _flightAcked[slot] = true;
        _inFlightCount++;
        _cursor = seq;
        Interlocked.Increment(ref _rejected);
        LogRejectedLocally(_logger, seq);
    }

    private int TakeTokens(int wanted)
    {
        var rate = _options.DrainRatePerSecond;
        if (rate <= 0)
        {
            _waitMilliseconds = 250;
            return wanted;
        }

        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(Math.Max(rate / 10.0, 1), _tokens + ((now - _lastRefill) * rate / (double)Stopwatch.Frequency));
        _lastRefill = now;
        var granted = (int)Math.Min(wanted, Math.Floor(_tokens));
        _tokens -= granted;

        // Out of tokens: look again when the next one is due rather than at the idle pace.
        _waitMilliseconds = granted < wanted ? Math.Clamp((int)Math.Ceiling(1000.0 / rate), 1, 250) : 250;
        return granted;
    }

    private void ReturnTokens(int unused)
    {
        if (_options.DrainRatePerSecond > 0 && unused > 0)
        {
            _tokens += unused;
        }
    }

    private ReadOnlySpan<byte> FormatId(long seq)
    {
        _idPrefix.CopyTo(_idBuffer, 0);
        seq.TryFormat(_idBuffer.AsSpan(_idPrefix.Length), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _idBuffer[_idPrefix.Length + written] = 0;
        return _idBuffer.AsSpan(0, _idPrefix.Length + written + 1);
    }

    private struct SendVisitor : IOutboxRowVisitor
    {
        private readonly DurableOutbox _outbox;
        private readonly IOutboxSink _sink;
        private readonly int _generation;

        public SendVisitor(DurableOutbox outbox, IOutboxSink sink, int generation, int allowed)
        {
            _outbox = outbox;
            _sink = sink;
            _generation = generation;
            Remaining = allowed;
        }

        public int Remaining { get; private set; }

        public int Sent { get; private set; }

        public bool Stop { get; private set; }

        public bool Visit(long seq, long timestampMs, byte qos, bool retain, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
        {
            var result = _sink.Send(_generation, topic, payload, qos, retain, _outbox.FormatId(seq), out var mid);
            switch (result)
            {
                case SendResult.Sent:
                    _outbox.Track(seq, mid);
                    break;
                case SendResult.Rejected:
                    _outbox.Skip(seq);
                    break;
                default:
                    Stop = true;
                    return false;
            }

            Sent++;
            Remaining--;
            return Remaining > 0;
        }
    }
}
