using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Pipelines.Windowing;

/// <summary>
/// Turns interleaved samples of several channels into aligned frames (one value per channel) on the first
/// channel's timestamps. Another channel contributes its latest value if it is within the tolerance of the frame's
/// time (hold-last); a channel with nothing that recent makes the frame stale: it is counted and breaks the window,
/// never filled in. A frame is emitted as soon as every channel has a value at or after its time, or when a sample
/// beyond the tolerance shows that nothing closer will come.
/// Frames normally go straight into the sliding window; only while a window made by an earlier frame waits to be
/// taken (or frames queued behind it do) are they queued, so that no frame changes a window before it was read.
/// </summary>
internal sealed class FrameAligner
{
    // A power of two: ring indexes wrap with a mask.
    private const int QueueFrames = 4;
    private readonly int _channels;
    private readonly ChannelState[] _state;
    private readonly long _toleranceTicks;
    private readonly WindowCounters _counters;
    private readonly SlidingWindow _window;
    private readonly bool _direct;
    private readonly double[] _last;
    private readonly double[] _queueValues;
    private readonly long[] _queueTicks = new long[QueueFrames];
    private readonly bool[] _queueBreak = new bool[QueueFrames];
    private long _pending = long.MinValue;
    private long _emitted = long.MinValue;
    private int _head;
    private int _count;
    private bool _breakNext;
    private bool _windowReady;

    /// <param name="direct">False: every frame goes through the queue (the general path, kept for tests to compare).</param>
    public FrameAligner(ChannelRange[] ranges, TimeSpan tolerance, WindowCounters counters, SlidingWindow window, bool direct = true)
    {
        _window = window;
        _direct = direct;
        _channels = ranges.Length;
        _state = [.. ranges.Select(r => new ChannelState(Math.Max(r.Min, double.MinValue), Math.Min(r.Max, double.MaxValue)))];
        _toleranceTicks = tolerance.Ticks;
        _counters = counters;
        _last = new double[_channels];
        _queueValues = new double[QueueFrames * _channels];
    }

    public void Push(in Sample sample)
    {
        _counters.Samples++;
        var channel = sample.Channel;
        var states = _state;
        if ((uint)channel >= (uint)states.Length)
        {
            return;
        }

        // The bounds are clamped to the finite doubles, so these two compares also turn away NaN and infinities.
        ref var state = ref states[channel];
        var value = sample.Value;
        if (!(value >= state.Min && value <= state.Max))
        {
            Reject(value);
            return;
        }

        var ticks = sample.TimestampTicks;
        if ((_emitted != long.MinValue && ticks <= _emitted - _toleranceTicks) || (channel == 0 && (ticks <= _emitted || ticks <= _pending)))
        {
            _counters.Late++;
            return;
        }

        // The pending frame is final once a sample lies beyond its tolerance, or the next reference sample comes;
        // either way it is completed before this sample overwrites a held value.
        if (_pending != long.MinValue && (channel == 0 || ticks > _pending + _toleranceTicks))
        {
            Complete();
        }

        // _last has one slot per channel state, and the channel was checked against those above.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_last), channel) = value;
        state.LastTicks = ticks;
        if (channel == 0)
        {
            _pending = ticks;
        }

        // Every channel has a value at or after the frame's time, so none can be stale: no need to check.
        if (_pending != long.MinValue && AllFresh())
        {
            var frame = _pending;
            _pending = long.MinValue;
            Emit(frame);
        }
    }

    private void Reject(double value)
    {
        if (double.IsFinite(value))
        {
            _counters.OutOfRange++;
        }
        else
        {
            _counters.NonFinite++;
        }
    }

    /// <summary>True once if a frame that went straight into the sliding window completed a window.</summary>
    public bool TakeWindow()
    {
        if (!_windowReady)
        {
            return false;
        }

        _windowReady = false;
        return true;
    }

    public bool HasQueued => _count > 0;

    public bool WindowReady => _windowReady;

    /// <summary>Takes the oldest aligned frame. <paramref name="breakBefore"/>: a stale channel came before it.</summary>
    public bool TryDequeue(out long ticks, Span<double> values, out bool breakBefore)
    {
        if (_count == 0)
        {
            ticks = 0;
            breakBefore = false;
            return false;
        }

        ticks = _queueTicks[_head];
        breakBefore = _queueBreak[_head];
        _queueValues.AsSpan(_head * _channels, _channels).CopyTo(values);
        _head = (_head + 1) & (QueueFrames - 1);
        _count--;
        return true;
    }

    private bool AllFresh()
    {
        var pending = _pending;
        foreach (ref readonly var state in _state.AsSpan())
        {
            if (state.LastTicks < pending)
            {
                return false;
            }
        }

        return true;
    }

    private void Complete()
    {
        var ticks = _pending;
        _pending = long.MinValue;
        foreach (ref readonly var state in _state.AsSpan())
        {
            if (state.LastTicks == long.MinValue || state.LastTicks < ticks - _toleranceTicks)
            {
                _counters.StaleChannels++;
                _breakNext = true;
                return;
            }
        }

        Emit(ticks);
    }

    // Inlined into Push: a completed frame (every other sample of a two-channel stream) then costs no second
    // call, prologue and epilogue on the per-sample path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Emit(long ticks)
    {
        _emitted = ticks;
        _counters.Frames++;
        if (_direct && _count == 0 && !_windowReady)
        {
            if (_breakNext)
            {
                _window.Break();
                _breakNext = false;
            }

            _windowReady = _window.Add(ticks, _last);
            return;
        }

        if (_count == QueueFrames)
        {
            // The loop drains after every push, so this cannot fill; dropping the oldest keeps it bounded anyway.
            _head = (_head + 1) & (QueueFrames - 1);
            _count--;
        }

        var slot = (_head + _count) & (QueueFrames - 1);
        _last.CopyTo(_queueValues.AsSpan(slot * _channels, _channels));
        _queueTicks[slot] = ticks;
        _queueBreak[slot] = _breakNext;
        _breakNext = false;
        _count++;
    }

    /// <summary>One channel's plausible range (clamped to the finite doubles) and the time of its held value.</summary>
    private struct ChannelState(double min, double max)
    {
        public readonly double Min = min;
        public readonly double Max = max;
        public long LastTicks = long.MinValue;
    }
}
