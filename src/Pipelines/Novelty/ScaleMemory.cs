namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// One feature at one time scale: averages <c>step</c> values into a point, keeps the last points as a shape, and
/// measures how far that shape is from every shape seen before (nearest neighbour in a fixed-size memory). The
/// distance is judged against its own history (a z-score of its logarithm), so a scale that is always noisy does not
/// shout and a quiet one is heard. All arrays are allocated here; <see cref="Push"/> allocates nothing.
/// </summary>
internal sealed class ScaleMemory
{
    // log(distance + floor): a distance of 0 (a repeated shape) must not become -infinity.
    private const double DistanceFloor = 1e-3;

    private readonly int _step;
    private readonly int _length;
    private readonly int _dimension;
    private readonly int _capacity;
    private readonly double _newShape;
    private readonly int _warmup;
    private readonly double _minRate;
    private readonly double[] _points;
    private readonly float[] _shape;
    private readonly float[] _shapes;
    private readonly long[] _lastUsed;
    private readonly double[] _recent;
    private readonly double _spike;
    private readonly double _snap;
    private double _sum;
    private double _stepMin = double.PositiveInfinity;
    private double _stepMax = double.NegativeInfinity;
    private double _average = double.NaN;
    private double _median = double.NaN;
    private int _inStep;
    private int _pointCount;
    private int _stored;
    private long _clock;
    private int _recentNext;
    private int _recentCount;
    private double _mean;
    private double _variance;
    private long _judged;

    public ScaleMemory(int step, DetectorOptions options)
    {
        _step = step;
        _length = options.ShapeLength;
        _dimension = 2 * _length;
        _capacity = options.Memory;
        _newShape = options.NewShapeDistance;
        _warmup = options.WarmupPoints;
        _minRate = 1.0 / options.HistoryPoints;
        _points = new double[_length];
        _shape = new float[_dimension];
        _shapes = new float[_capacity * _dimension];
        _lastUsed = new long[_capacity];
        _recent = new double[options.RecentPoints];
        _spike = options.SpikeDistance;
        _snap = options.MedianSnap;
    }

    /// <summary>Forgets everything learned (the feature's scale changed).</summary>
    public void Reset()
    {
        _sum = 0;
        _inStep = 0;
        _stepMin = double.PositiveInfinity;
        _stepMax = double.NegativeInfinity;
        _average = double.NaN;
        _median = double.NaN;
        _pointCount = 0;
        _stored = 0;
        _clock = 0;
        _recentNext = 0;
        _recentCount = 0;
        _mean = 0;
        _variance = 0;
        _judged = 0;
        Array.Clear(_lastUsed);
    }

    /// <summary>
    /// Takes one value (already scaled to the feature's range so far); returns true when it completed a point, with
    /// <paramref name="z"/> how unusual the newest shape is (NaN while the scale is still learning what is usual).
    /// </summary>
    public bool Push(double value, out double z)
    {
        z = double.NaN;
        _sum += value;
        _stepMin = Math.Min(_stepMin, value);
        _stepMax = Math.Max(_stepMax, value);
        if (++_inStep < _step)
        {
            return false;
        }

        var point = Point(_sum / _step);
        _sum = 0;
        _inStep = 0;
        _stepMin = double.PositiveInfinity;
        _stepMax = double.NegativeInfinity;
        if (_pointCount < _length)
        {
            _points[_pointCount++] = point;
            if (_pointCount < _length)
            {
                return true;
            }
        }
        else
        {
            Array.Copy(_points, 1, _points, 0, _length - 1);
            _points[_length - 1] = point;
        }

        BuildShape();
        var distance = Learn();
        z = Judge(Math.Log(distance + DistanceFloor));
        return true;
    }

    // Spike-preserving downsampling (after ARTime): the extreme farther from the recent average stands for the step
    // when it is far from the step's mean; then small noise around the running median is snapped onto it.
    private double Point(double mean)
    {
        _average = double.IsNaN(_average) ? mean : 0.5 * (_average + mean);
        var point = mean;
        if (_spike > 0)
        {
            var extreme = Math.Abs(_stepMax - _average) >= Math.Abs(_stepMin - _average) ? _stepMax : _stepMin;
            if (Math.Abs(extreme - mean) > _spike)
            {
                point = extreme;
            }
        }

        if (_snap > 0)
        {
            // Stochastic-approximation median: steps of a fixed size towards each point (values are in 0..1).
            _median = double.IsNaN(_median) ? point : _median + (point > _median ? 0.01 : point < _median ? -0.01 : 0);
            if (Math.Abs(point - _median) < _snap)
            {
                point = _median;
            }
        }

        return point;
    }

    // The shape is the window's form (min-max normalised, half weight: any level) and its level (position in the range).
    private void BuildShape()
    {
        var lo = double.PositiveInfinity;
        var hi = double.NegativeInfinity;
        foreach (var p in _points)
        {
            lo = Math.Min(lo, p);
            hi = Math.Max(hi, p);
        }

        var span = hi - lo;
        for (var i = 0; i < _length; i++)
        {
            _shape[i] = span > 1e-9 ? (float)(0.5 * (_points[i] - lo) / span) : 0f;
            _shape[_length + i] = (float)_points[i];
        }
    }

    // Nearest remembered shape; a far one is stored as new (replacing the least recently matched when full), a near
    // one moves a little towards the shape, so the memory follows slow drift.
    private double Learn()
    {
        _clock++;
        if (_stored == 0)
        {
            Store(0);
            _stored = 1;
            return 0;
        }

        var best = double.PositiveInfinity;
        var bestIndex = 0;
        for (var s = 0; s < _stored; s++)
        {
            var d = Distance(s, best);
            if (d < best)
            {
                best = d;
                bestIndex = s;
            }
        }

        var distance = Math.Sqrt(best / _dimension);
        if (distance > _newShape)
        {
            Store(_stored < _capacity ? _stored++ : LeastRecentlyUsed());
        }
        else
        {
            var row = _shapes.AsSpan(bestIndex * _dimension, _dimension);
            for (var i = 0; i < _dimension; i++)
            {
                row[i] += 0.1f * (_shape[i] - row[i]);
            }

            _lastUsed[bestIndex] = _clock;
        }

        return distance;
    }

    // Squared distance, abandoned once it exceeds the best so far (most shapes are far from the newest one).
    private double Distance(int index, double bound)
    {
        var row = _shapes.AsSpan(index * _dimension, _dimension);
        var sum = 0.0;
        for (var i = 0; i < _dimension; i++)
        {
            var d = row[i] - _shape[i];
            sum += d * d;
            if ((i & 7) == 7 && sum >= bound)
            {
                return sum;
            }
        }

        return sum;
    }

    private int LeastRecentlyUsed()
    {
        var oldest = 0;
        for (var s = 1; s < _capacity; s++)
        {
            if (_lastUsed[s] < _lastUsed[oldest])
            {
                oldest = s;
            }
        }

        return oldest;
    }

    private void Store(int index)
    {
        _shape.CopyTo(_shapes.AsSpan(index * _dimension, _dimension));
        _lastUsed[index] = _clock;
    }

    // The mean of the recent log-distances against the long-run (exponentially forgetting) mean and variance,
    // which are updated after judging, so a novel point is judged by what came before it.
    private double Judge(double logDistance)
    {
        _recent[_recentNext] = logDistance;
        _recentNext = (_recentNext + 1) % _recent.Length;
        _recentCount = Math.Min(_recentCount + 1, _recent.Length);
        var recent = 0.0;
        for (var i = 0; i < _recentCount; i++)
        {
            recent += _recent[i];
        }

        recent /= _recentCount;
        var z = _judged >= _warmup / _step && _variance > 1e-12 ? (recent - _mean) / Math.Sqrt(_variance) : double.NaN;
        _judged++;
        var rate = Math.Max(_minRate, 1.0 / _judged);
        var delta = logDistance - _mean;
        _mean += rate * delta;
        _variance = (1 - rate) * (_variance + rate * delta * delta);
        return z;
    }
}
