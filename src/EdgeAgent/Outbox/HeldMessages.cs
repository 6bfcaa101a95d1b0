using System.Buffers;

namespace EdgeAgent.Outbox;

/// <summary>
/// The messages accepted while the outbox file could not be written (disk full), in seq order, bounded by count and
/// bytes. When full, the oldest held message is dropped to make room for the newest: the newest describe the current
/// state (alert ON/OFF, the latest scores), and the outbox's own size cap drops the oldest too. Each message keeps the
/// seq it was given, so its id is the same whether it is sent from here or, after the disk has room again, from the
/// file. Owned by the pump thread; the counts are read by other threads for statistics.
/// </summary>
internal sealed class HeldMessages
{
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private Entry[] _ring = new Entry[64];
    private int _head;
    private int _count;
    private long _bytes;

    public HeldMessages(int maxMessages, long maxBytes)
    {
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Topic and payload bytes plus <see cref="OutboxStore.RowOverhead"/> per message, as the outbox counts them.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>The seq of the newest held message, 0 when none is held.</summary>
    public long LastSeq => _count == 0 ? 0 : At(_count - 1).Seq;

    /// <summary>Holds one message; returns how many held messages were dropped for it (1 when it alone is larger than the bound: then it is the one dropped).</summary>
    public int Add(long seq, long timestampMs, byte qos, bool retain, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        var size = OutboxStore.SizeOf(topic.Length, payload.Length);
        if (size > _maxBytes)
        {
            return 1;
        }

        var dropped = 0;
        while (_count > 0 && (_count >= _maxMessages || _bytes + size > _maxBytes))
        {
            RemoveOldest();
            dropped++;
        }

        if (_count == _ring.Length)
        {
            Grow();
        }

        var data = ArrayPool<byte>.Shared.Rent(topic.Length + payload.Length);
        topic.CopyTo(data);
        payload.CopyTo(data.AsSpan(topic.Length));
        _ring[(_head + _count) % _ring.Length] = new Entry(seq, timestampMs, qos, retain, data, topic.Length, payload.Length);
        Volatile.Write(ref _count, _count + 1);
        Volatile.Write(ref _bytes, _bytes + size);
        return dropped;
    }

    /// <summary>Forgets every held message up to and including <paramref name="seq"/> (acknowledged by the broker); returns how many.</summary>
    public int RemoveThrough(long seq)
    {
        var removed = 0;
        while (_count > 0 && _ring[_head].Seq <= seq)
        {
            RemoveOldest();
            removed++;
        }

        return removed;
    }

    /// <summary>Hands the held messages with a seq above <paramref name="afterSeq"/> to <paramref name="visitor"/>, in order, until it says stop.</summary>
    public void Visit<TVisitor>(long afterSeq, ref TVisitor visitor)
        where TVisitor : struct, IOutboxRowVisitor, allows ref struct
    {
        for (var i = FirstAfter(afterSeq); i < _count; i++)
        {
            ref readonly var e = ref At(i);
            if (!visitor.Visit(e.Seq, e.TimestampMs, e.Qos, e.Retain, e.Data.AsSpan(0, e.TopicLength), e.Data.AsSpan(e.TopicLength, e.PayloadLength)))
            {
                return;
            }
        }
    }

    public void Clear() => RemoveThrough(long.MaxValue);

    private int FirstAfter(long seq)
    {
        // Seqs rise along the ring: a binary search finds the first one above seq.
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (At(middle).Seq <= seq)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private ref Entry At(int index) => ref _ring[(_head + index) % _ring.Length];

    private void RemoveOldest()
    {
        ref var e = ref _ring[_head];
        ArrayPool<byte>.Shared.Return(e.Data);
        Volatile.Write(ref _bytes, _bytes - OutboxStore.SizeOf(e.TopicLength, e.PayloadLength));
        e = default;
        _head = (_head + 1) % _ring.Length;
        Volatile.Write(ref _count, _count - 1);
    }

    private void Grow()
    {
        var bigger = new Entry[Math.Min(Math.Max(_ring.Length * 2, 64), Math.Max(_maxMessages, 1))];
        for (var i = 0; i < _count; i++)
        {
            bigger[i] = At(i);
        }

        _ring = bigger;
        _head = 0;
    }

    private readonly record struct Entry(long Seq, long TimestampMs, byte Qos, bool Retain, byte[] Data, int TopicLength, int PayloadLength);
}
