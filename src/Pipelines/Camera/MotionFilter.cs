using System.Diagnostics;
using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Decides whether a frame is worth running the model on: compares a downscaled grey copy against a running-average
/// background and reports motion when enough pixels changed; lets a frame through every
/// <see cref="MotionFilterOptions.ForceEverySeconds"/> regardless. Buffers are sized once; a frame costs one sampling
/// pass (width·height/downscale² pixels) and one Vector&lt;float&gt; pass, no allocation.
/// </summary>
public sealed class MotionFilter
{
    private readonly int _width;
    private readonly int _height;
    private readonly int _channels;
    private readonly int _step;
    private readonly int _smallWidth;
    private readonly int _smallHeight;
    private readonly float[] _current;
    private readonly float[] _background;
    private readonly float _threshold;
    private readonly float _learningRate;
    private readonly int _minChangedPixels;
    private readonly long _forceTicks;
    private bool _initialised;
    private long _lastPassed;

    public MotionFilter(int width, int height, CameraPixelFormat format, MotionFilterOptions options)
    {
        _width = width;
        _height = height;
        _channels = format == CameraPixelFormat.Gray ? 1 : 3;
        _step = Math.Max(1, options.Downscale);
        _smallWidth = Math.Max(1, width / _step);
        _smallHeight = Math.Max(1, height / _step);
        _current = new float[_smallWidth * _smallHeight];
        _background = new float[_current.Length];
        _threshold = options.PixelThreshold;
        _learningRate = (float)options.BackgroundLearningRate;
        _minChangedPixels = Math.Max(1, (int)Math.Ceiling(options.MinChangedArea * _current.Length));
        _forceTicks = options.ForceEverySeconds > 0 ? (long)(options.ForceEverySeconds * Stopwatch.Frequency) : long.MaxValue;
    }

    /// <summary>Fraction of downscaled pixels that changed in the last frame evaluated.</summary>
    public float ChangedFraction { get; private set; }

    /// <summary>Whether the last frame evaluated had motion (as opposed to being let through by the timer).</summary>
    public bool Motion { get; private set; }

    public long FramesPassed { get; private set; }

    public long FramesSkipped { get; private set; }

    /// <summary>True when the frame should be scored: motion, the first frame, or the periodic frame.</summary>
    /// <param name="timestamp">The frame's <see cref="Stopwatch.GetTimestamp"/>.</param>
    public bool Evaluate(ReadOnlySpan<byte> frame, long timestamp)
    {
        if (frame.Length != _width * _height * _channels)
        {
            throw new ArgumentException($"frame has {frame.Length} bytes, expected {_width * _height * _channels}", nameof(frame));
        }

        Downscale(frame);
        if (!_initialised)
        {
            _current.CopyTo(_background.AsSpan());
            _initialised = true;
            Motion = false;
            ChangedFraction = 0;
            return Pass(timestamp);
        }

        var changed = CompareAndLearn();
        ChangedFraction = (float)changed / _current.Length;
        Motion = changed >= _minChangedPixels;
        if (Motion || timestamp - _lastPassed >= _forceTicks)
        {
            return Pass(timestamp);
        }

        FramesSkipped++;
        return false;
    }

    /// <summary>Forget the background (after a restart the picture may differ; the next frame passes and re-learns).</summary>
    public void Reset() => _initialised = false;

    private bool Pass(long timestamp)
    {
        _lastPassed = timestamp;
        FramesPassed++;
        return true;
    }

    /// <summary>Samples one pixel per downscale block; (R + 2G + B)/4 is a luma estimate that does not care about RGB vs BGR order.</summary>
    private void Downscale(ReadOnlySpan<byte> frame)
    {
        var stride = _width * _channels;
        var offset = _step / 2;
        var columnStep = _step * _channels;
        for (var y = 0; y < _smallHeight; y++)
        {
            var row = frame.Slice(((y * _step) + offset) * stride);
            var target = _current.AsSpan(y * _smallWidth, _smallWidth);
            var s = offset * _channels;
            if (_channels == 3)
            {
                for (var x = 0; x < target.Length; x++, s += columnStep)
                {
                    target[x] = (row[s] + (2 * row[s + 1]) + row[s + 2]) * 0.25f;
                }
            }
            else
            {
                for (var x = 0; x < target.Length; x++, s += columnStep)
                {
                    target[x] = row[s];
                }
            }
        }
    }

    /// <summary>Counts pixels differing from the background by more than the threshold, and moves the background toward the frame.</summary>
    private int CompareAndLearn()
    {
        var current = _current.AsSpan();
        var background = _background.AsSpan();
        var i = 0;
        var changed = 0;
        if (Vector.IsHardwareAccelerated && current.Length >= Vector<float>.Count)
        {
            var currentVectors = MemoryMarshal.Cast<float, Vector<float>>(current);
            var backgroundVectors = MemoryMarshal.Cast<float, Vector<float>>(background);
            var threshold = new Vector<float>(_threshold);
            var rate = new Vector<float>(_learningRate);
            var counts = Vector<int>.Zero;
            for (var v = 0; v < currentVectors.Length; v++)
            {
                var difference = currentVectors[v] - backgroundVectors[v];
                // A true lane is all ones (-1 as int): subtracting the mask counts it.
                counts -= Vector.GreaterThan(Vector.Abs(difference), threshold);
                backgroundVectors[v] += difference * rate;
            }

            changed = Vector.Sum(counts);
            i = currentVectors.Length * Vector<float>.Count;
        }

        for (; i < current.Length; i++)
        {
            var difference = current[i] - background[i];
            if (MathF.Abs(difference) > _threshold)
            {
                changed++;
            }

            background[i] += difference * _learningRate;
        }

        return changed;
    }
}
