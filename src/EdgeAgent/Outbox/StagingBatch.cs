namespace EdgeAgent.Outbox;

/// <summary>
/// Messages accepted by <see cref="DurableOutbox.Enqueue"/> and waiting for the next group commit. Two of these
/// alternate (one filling, one being written); their arrays grow to the working size once and are then reused.
/// </summary>
internal sealed class StagingBatch
{
    private byte[] _data = new byte[64 * 1024];
    private Entry[] _entries = new Entry[256];
    private long[] _seqs = new long[256];
    private int _used;

    public int Count { get; private set; }

    /// <summary>The ticket of the last message in the batch: a caller's message is durable once this batch is committed.</summary>
    public long LastTicket { get; set; }

    public void Add(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, byte qos, bool retain, long timestampMs)
    {
        var needed = _used + topic.Length + payload.Length;
        if (needed > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(needed, _data.Length * 2));
        }

        if (Count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        topic.CopyTo(_data.AsSpan(_used));
        payload.CopyTo(_data.AsSpan(_used + topic.Length));
        _entries[Count++] = new Entry(_used, topic.Length, payload.Length, qos, retain, timestampMs);
        _used = needed;
    }

    public ReadOnlySpan<byte> Topic(int index)
    {
        ref readonly var e = ref _entries[index];
        return _data.AsSpan(e.Offset, e.TopicLength);
    }

    public ReadOnlySpan<byte> Payload(int index)
    {
        ref readonly var e = ref _entries[index];
        return _data.AsSpan(e.Offset + e.TopicLength, e.PayloadLength);
    }

    /// <summary>The seq each message got when inserted; valid after the batch is committed.</summary>
    public long Seq(int index) => _seqs[index];

    public void SetSeq(int index, long seq)
    {
        if (_seqs.Length < _entries.Length)
        {
            Array.Resize(ref _seqs, _entries.Length);
        }

        _seqs[index] = seq;
    }

    /// <summary>Whether the committed batch may be sent from memory (none of it was dropped in the same transaction).</summary>
    public bool Sendable { get; set; }

    public byte Qos(int index) => _entries[index].Qos;

    public bool Retain(int index) => _entries[index].Retain;

    public long TimestampMs(int index) => _entries[index].TimestampMs;

    public void Clear()
    {
        Count = 0;
        Sendable = false;
        _used = 0;
    }

    private readonly record struct Entry(int Offset, int TopicLength, int PayloadLength, byte Qos, bool Retain, long TimestampMs);
}
