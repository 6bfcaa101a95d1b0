namespace EdgeAgent.Pipelines.Windowing;

/// <summary>
/// One window, oldest sample first, channel-major. Allocated once per pipeline and overwritten for every window.
/// </summary>
public sealed class WindowData
{
    private readonly double[] _values;

    public WindowData(int channels, int capacity)
    {
        Channels = channels;
        Capacity = capacity;
        _values = new double[channels * capacity];
        Timestamps = new long[capacity];
    }

    public int Channels { get; }

    public int Capacity { get; }

    /// <summary>Samples per channel in this window (fixed in sample mode, varies in time mode).</summary>
    public int Count { get; internal set; }

    public long StartTicks => Count > 0 ? Timestamps[0] : 0;

    public long EndTicks => Count > 0 ? Timestamps[Count - 1] : 0;

    /// <summary>Per-sample timestamps (UTC ticks); only the first <see cref="Count"/> are meaningful.</summary>
    public long[] Timestamps { get; }

    public ReadOnlySpan<double> Channel(int channel) => _values.AsSpan(channel * Capacity, Count);

    internal Span<double> ChannelStorage(int channel) => _values.AsSpan(channel * Capacity, Capacity);
}
