using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Windowing;

/// <summary>
/// A ring of aligned frames that yields a window every hop (samples or seconds of sample time). A gap longer than
/// the limit, or a stale frame, empties the ring: the next window starts after it, nothing is interpolated.
/// Every frame is written twice, at its slot and a capacity further on, so the frames from the oldest on are always
/// one contiguous run: a window is a view of the ring, not a copy of it.
/// </summary>
internal sealed class SlidingWindow
{
    private readonly int _channels;
    private readonly int _capacity;
    private readonly int _stride;
    private readonly bool _timeMode;
    private readonly int _sizeSamples;
    private readonly int _hopSamples;
    private readonly long _sizeTicks;
    private readonly long _hopTicks;
    private readonly long _maxGapTicks;
    private readonly WindowCounters _counters;
    private readonly double[] _values;
    private readonly long[] _ticks;
    private int _head;
    private int _count;
    private long _lastTicks = long.MinValue;
    private long _startTicks;
    private long _lastWindowTicks = long.MinValue;
    private int _sinceWindow;

    public SlidingWindow(int channels, WindowOptions options, WindowCounters counters)
    {
        _channels = channels;
        _timeMode = options.Unit == WindowUnit.Seconds;
        _sizeSamples = (int)options.Size;
        _hopSamples = Math.Max(1, (int)options.Hop);
        _sizeTicks = (long)(options.Size * TimeSpan.TicksPerSecond);
        _hopTicks = (long)(options.Hop * TimeSpan.TicksPerSecond);
        _maxGapTicks = (long)(options.MaxGapSeconds * TimeSpan.TicksPerSecond);
        _capacity = _timeMode ? options.MaxSamples : _sizeSamples;
        _counters = counters;
        _stride = 2 * _capacity;
        _values = new double[channels * _stride];
        _ticks = new long[_stride];
    }

    public int Capacity => _capacity;

    /// <summary>Drops everything collected so far (a gap or a stale channel).</summary>
    public void Break()
    {
        _count = 0;
        _sinceWindow = 0;
        _lastWindowTicks = long.MinValue;
    }

    /// <summary>Adds a frame; returns true when it completes a window.</summary>
    /// <remarks>Inlined into the aligner's push (its one per-frame call site on the direct path).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(long ticks, ReadOnlySpan<double> frame)
    {
        if (_lastTicks != long.MinValue && ticks - _lastTicks > _maxGapTicks)
        {
            _counters.Gaps++;
            Break();
        }

        _lastTicks = ticks;
        if (_count == 0)
        {
            _startTicks = ticks;
        }

        int slot;
        if (_timeMode)
        {
            // Keep (ticks - size, ticks]; beyond MaxSamples the oldest frame goes too.
            while (_count > 0 && (_ticks[_head] <= ticks - _sizeTicks || _count == _capacity))
            {
                _head = Wrap(_head + 1);
                _count--;
            }

            slot = Wrap(_head + _count);
            _count++;
        }
        else if (_count == _capacity)
        {
            // Full: the new frame takes the oldest frame's slot.
            slot = _head;
            _head = Wrap(_head + 1);
        }
        else
        {
            slot = Wrap(_head + _count);
            _count++;
        }

        Write(slot, ticks, frame);
        _sinceWindow++;
        if (_timeMode)
        {
            // The first window is due once the frames span the size (counting the last frame's own interval).
            var interval = _count > 1 ? (ticks - _startTicks) / (_count - 1) : 0;
            if (ticks - _startTicks + interval < _sizeTicks || (_lastWindowTicks != long.MinValue && ticks - _lastWindowTicks < _hopTicks))
            {
                return false;
            }

            _lastWindowTicks = ticks;
        }
        else
        {
            if (_count < _sizeSamples || (_lastWindowTicks != long.MinValue && _sinceWindow < _hopSamples))
            {
                return false;
            }

            _lastWindowTicks = ticks;
            _sinceWindow = 0;
        }

        _counters.Windows++;
        return true;
    }

    /// <summary>Writes a frame at <paramref name="slot"/> and again a capacity further on.</summary>
    private void Write(int slot, long ticks, ReadOnlySpan<double> frame)
    {
        // slot < capacity and the stride is twice the capacity, so both copies of every channel lie inside the
        // arrays: the per-frame writes go without bounds checks (one check on the frame's length stays).
        // Capacity and stride in locals: the stores below could alias the fields as far as the JIT knows, so it
        // would read them again for every channel.
        frame = frame[.._channels];
        var capacity = _capacity;
        var stride = _stride;
        ref var times = ref MemoryMarshal.GetArrayDataReference(_ticks);
        Unsafe.Add(ref times, slot) = ticks;
        Unsafe.Add(ref times, slot + capacity) = ticks;
        ref var values = ref MemoryMarshal.GetArrayDataReference(_values);
        var at = slot;
        foreach (var value in frame)
        {
            Unsafe.Add(ref values, at) = value;
            Unsafe.Add(ref values, at + capacity) = value;
            at += stride;
        }
    }

    // Indexes never exceed twice the capacity, so a compare replaces a division on the per-sample path.
    private int Wrap(int index) => index >= _capacity ? index - _capacity : index;

    /// <summary>A window that shows this ring in place.</summary>
    public WindowData CreateView() => new(_channels, _capacity, _values, _ticks, _stride);

    /// <summary>Makes <paramref name="window"/> show the frames collected: in place for a view of this ring, else copied.</summary>
    public void Show(WindowData window)
    {
        if (window.Views(_values))
        {
            window.Show(_head, _count);
            return;
        }

        for (var c = 0; c < _channels; c++)
        {
            _values.AsSpan((c * _stride) + _head, _count).CopyTo(window.ChannelStorage(c));
        }

        _ticks.AsSpan(_head, _count).CopyTo(window.TimestampStorage);
        window.Show(0, _count);
    }
}
