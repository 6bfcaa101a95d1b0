using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// The model of a pipeline without an ONNX model (<c>model.path</c> empty): a streaming detector that learns from
/// its first window and never stops. Each input feature is scaled to the range it has shown so far and followed at
/// every configured time scale (<see cref="ScaleMemory"/>); optionally a value well outside the range seen so far is novel by
/// itself. The output is the largest novelty of any feature and scale on this window (in standard deviations of
/// that scale's own history), then one value per feature; an output scorer reads element 0.
/// Allocates nothing per window.
/// </summary>
public sealed class NoveltyDetector : IWindowModel
{
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly ScaleMemory[][] _scales;
    private readonly double[] _lo;
    private readonly double[] _hi;
    private readonly bool[] _seen;
    private readonly long[] _count;
    private readonly double _margin;
    private readonly double _outOfRangeScore;
    private readonly int _warmup;
    private readonly int _learning;
    private readonly double _rangeMargin;
    private readonly double[][] _learned;

    public NoveltyDetector(int features, DetectorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        var scales = options.EffectiveScales();
        _input = GC.AllocateArray<float>(features, pinned: true);
        _output = GC.AllocateArray<float>(features + 1, pinned: true);
        _scales = new ScaleMemory[features][];
        for (var f = 0; f < features; f++)
        {
            _scales[f] = [.. scales.Select(s => new ScaleMemory(s, options))];
        }

        _lo = new double[features];
        _hi = new double[features];
        _seen = new bool[features];
        _count = new long[features];
        _margin = options.OutOfRangeMargin;
        _outOfRangeScore = options.OutOfRangeScore;
        _warmup = options.WarmupPoints;
        _learning = options.RangeLearningPoints;
        _rangeMargin = options.RangeMargin;
        _learned = new double[features][];
        for (var f = 0; f < features; f++)
        {
            _learned[f] = new double[_learning];
        }
    }

    public Span<float> Input => _input;

    public ReadOnlySpan<float> Output => _output;

    public void Run()
    {
        var worst = 0.0;
        for (var f = 0; f < _input.Length; f++)
        {
            var score = Feature(f, _input[f]);
            _output[f + 1] = (float)score;
            worst = Math.Max(worst, score);
        }

        _output[0] = (float)worst;
    }

    private double Feature(int f, double value)
    {
        if (!double.IsFinite(value))
        {
            // Nothing learned from a value that is not one (a feature of an empty window).
            return 0;
        }

        if (!_seen[f])
        {
            _seen[f] = true;
            _lo[f] = _hi[f] = value;
        }

        var score = 0.0;
        var span = _hi[f] - _lo[f];
        var count = ++_count[f];
        if (_margin > 0 && count > _warmup && span > 0 && (value > _hi[f] + _margin * span || value < _lo[f] - _margin * span))
        {
            score = _outOfRangeScore;
        }

        _lo[f] = Math.Min(_lo[f], value);
        _hi[f] = Math.Max(_hi[f], value);
        if (count <= _learning)
        {
            _learned[f][count - 1] = value;
            if (count == _learning)
            {
                Settle(f);
                return score;
            }
        }

        span = _hi[f] - _lo[f];

        // A flat line so far has no range: every value is at 0 until the line moves.
        var scaled = span > 0 ? (value - _lo[f]) / span : 0;
        foreach (var scale in _scales[f])
        {
            if (scale.Push(scaled, out var z) && z > score)
            {
                score = z;
            }
        }

        return score;
    }

    // The learning period is over: widen its range by the margin and relearn its values on that scale, so the
    // shapes learned so far and those to come are comparable (the range no longer moves with every new extreme
    // within the margin).
    private void Settle(int f)
    {
        var span = _hi[f] - _lo[f];
        _lo[f] -= _rangeMargin * span;
        _hi[f] += _rangeMargin * span;
        span = _hi[f] - _lo[f];
        foreach (var scale in _scales[f])
        {
            scale.Reset();
            foreach (var value in _learned[f])
            {
                scale.Push(span > 0 ? (value - _lo[f]) / span : 0, out _);
            }
        }
    }
}
