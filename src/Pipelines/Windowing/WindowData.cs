namespace EdgeAgent.Pipelines.Windowing;

/// <summary>
/// One window, oldest sample first, channel-major. Allocated once per pipeline and overwritten for every window.
/// A window made by <see cref="Windower.CreateWindowData"/> is a view of the windower's own ring (nothing is copied
/// per window), so it is valid until the next sample is pushed.
/// </summary>
public sealed class WindowData
{
    private readonly double[] _values;
    private readonly long[] _ticks;
    private readonly int _stride;
    private int _start;

    public WindowData(int channels, int capacity)
    {
        Channels = channels;
        Capacity = capacity;
        _values = new double[channels * capacity];
        _ticks = new long[capacity];
        _stride = capacity;
    }

    /// <summary>A view of a ring whose channel c occupies values[c * stride ..].</summary>
    internal WindowData(int channels, int capacity, double[] values, long[] ticks, int stride)
    {
        Channels = channels;
        Capacity = capacity;
        _values = values;
        _ticks = ticks;
        _stride = stride;
    }

    public int Channels { get; }

    public int Capacity { get; }

    /// <summary>Samples per channel in this window (fixed in sample mode, varies in time mode).</summary>
    public int Count { get; private set; }

    public long StartTicks => Count > 0 ? _ticks[_start] : 0;

    public long EndTicks => Count > 0 ? _ticks[_start + Count - 1] : 0;

    /// <summary>Per-sample timestamps (UTC ticks), <see cref="Count"/> of them.</summary>
    public ReadOnlySpan<long> Timestamps => _ticks.AsSpan(_start, Count);

    public ReadOnlySpan<double> Channel(int channel) => _values.AsSpan((channel * _stride) + _start, Count);

    /// <summary>True if this window shows <paramref name="values"/> in place (no copy needed).</summary>
    internal bool Views(double[] values) => ReferenceEquals(_values, values);

    /// <summary>Points the window at frames [start, start + count) of its storage.</summary>
    internal void Show(int start, int count)
    {
        _start = start;
        Count = count;
    }

    /// <summary>Where a copy goes when this window is not a view of the windower's ring.</summary>
    internal Span<double> ChannelStorage(int channel) => _values.AsSpan(channel * _stride, Capacity);

    internal Span<long> TimestampStorage => _ticks.AsSpan(0, Capacity);
}
