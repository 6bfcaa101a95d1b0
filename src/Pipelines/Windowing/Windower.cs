using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Pipelines.Windowing;

/// <summary>
/// The windowing stage of a pipeline: samples in, windows out. Call <see cref="Push"/> for each sample, then
/// <see cref="TryGetWindow"/> until it returns false. Allocates nothing after construction.
/// </summary>
public sealed class Windower
{
    private readonly FrameAligner _aligner;
    private readonly SlidingWindow _window;
    private readonly double[] _frame;

    public Windower(WindowOptions options, ChannelRange[] ranges)
        : this(options, ranges, direct: true)
    {
    }

    /// <param name="direct">False: every frame goes through the aligner's queue (the general path), for tests to compare.</param>
    internal Windower(WindowOptions options, ChannelRange[] ranges, bool direct)
    {
        _window = new SlidingWindow(ranges.Length, options, Counters);
        _aligner = new FrameAligner(ranges, TimeSpan.FromSeconds(options.ToleranceSeconds), Counters, _window, direct);
        _frame = new double[ranges.Length];
        Channels = ranges.Length;
    }

    public WindowCounters Counters { get; } = new();

    public int Channels { get; }

    /// <summary>Samples per channel a window can hold (the window size in sample mode).</summary>
    public int Capacity => _window.Capacity;

    /// <summary>A window for <see cref="TryGetWindow"/>: a view of this windower's ring, valid until the next sample.</summary>
    public WindowData CreateWindowData() => _window.CreateView();

    public void Push(in Sample sample) => _aligner.Push(sample);

    /// <summary>False when <see cref="TryGetWindow"/> would certainly return false (the common case after a push).</summary>
    internal bool MayHaveWindow => _aligner.WindowReady || _aligner.HasQueued;

    /// <summary>Fills <paramref name="window"/> with the next complete window, if the samples pushed so far made one.</summary>
    public bool TryGetWindow(WindowData window)
    {
        if (_aligner.TakeWindow())
        {
            _window.Show(window);
            return true;
        }

        if (!_aligner.HasQueued)
        {
            return false;
        }

        while (_aligner.TryDequeue(out var ticks, _frame, out var breakBefore))
        {
            if (breakBefore)
            {
                _window.Break();
            }

            if (_window.Add(ticks, _frame))
            {
                _window.Show(window);
                return true;
            }
        }

        return false;
    }
}
