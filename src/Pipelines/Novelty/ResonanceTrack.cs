namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// One feature followed the ARTime way (markNZed/ARTimeNAB.jl, MIT), made streaming: no global min/max and no file
/// length. The first <c>learningSamples</c> values set the downsampling step (<c>learning / 104</c>) and the range
/// (their extremes widened by a margin); they are then learned in one batch, which also sets the initial vigilance.
/// From then on each downsampled point (spike-preserving, quantised, snapped to the running median) makes a feature
/// of the last 8 points (Haar wavelet of their form, and their levels) that trains a <see cref="ResonanceMemory"/>;
/// a point that founds a category of its own outside the masking periods is an anomaly, scored by its confidence.
/// Vigilance adapts to the recent matches. Allocates nothing per sample once constructed.
/// </summary>
internal sealed class ResonanceTrack
{
    private const int Window = 8;
    private const int WindowsPerLearning = 13;
    private const int Levels = 80;
    private const double Chomp = 0.075;
    private const double InitialVigilance = 0.80;

    private readonly double _margin;
    private readonly int _step;
    private readonly int _trend;
    private readonly int _mask;
    private readonly double[] _stepWindow;
    private readonly double[] _rawPoints;
    private readonly int[] _medianBins = new int[Levels + 1];
    private readonly double[] _levels = new double[Window];
    private readonly double[] _feature = new double[2 * Window];
    private readonly double[] _scratch = new double[Window];
    private readonly double[] _trendFeatures;
    private readonly double[] _similarity;
    private readonly double[] _similarityDiff;
    private readonly double[] _similaritySums;
    private readonly int[] _order;
    private readonly double[] _anomalySims;
    private readonly ResonanceMemory _memory;
    private readonly ResonanceMemory _initMemory;
    private long _i = 1;
    private long _dsi = 1;
    private double _movingAverage;
    private double _rawMin = double.PositiveInfinity;
    private double _rawMax = double.NegativeInfinity;
    private int _rawCount;
    private double _min;
    private double _max = 1;
    private int _medianLevel;
    private long _below;
    private long _above;
    private long _lastAnomaly;
    private double _lastAnomalySim;
    private long _lastVigilanceUpdate;
    private bool _maskAfterCategory;
    private long _noNewCategory;
    private double _matchMean;
    private long _matchCount;
    private int _anomalyCount;
    private double _anomalySimSum;
    private int _stepCount;

    public ResonanceTrack(int learningSamples, double margin, int capacity)
    {
        var learning = learningSamples - (learningSamples % 2);
        _margin = margin;
        _step = Math.Max(1, learning / (Window * WindowsPerLearning));
        _trend = learning / _step;
        _mask = (int)(Window * 1.5);
        _stepWindow = new double[_step];
        _rawPoints = new double[_trend];
        _trendFeatures = new double[_trend * 2 * Window];
        _similarity = new double[(_trend / 2) + 1];
        Array.Fill(_similarity, 1.0);
        _similarityDiff = new double[_trend + 1];
        _similaritySums = new double[_trend];
        _order = new int[_trend];
        _anomalySims = new double[64];
        _memory = new ResonanceMemory(2 * Window, capacity);
        _initMemory = new ResonanceMemory(2 * Window, _trend + 2);
    }

    /// <summary>True once the learning period is over (the track decides from then on).</summary>
    public bool Ready { get; private set; }

    /// <summary>Takes one value; returns the anomaly confidence (0 when this value is not an anomaly).</summary>
    public double Sample(double value)
    {
        Shift(_stepWindow, value);
        if (!Ready)
        {
            _rawMin = Math.Min(_rawMin, value);
            _rawMax = Math.Max(_rawMax, value);
        }

        var anomaly = 0.0;
        if (++_stepCount >= _step)
        {
            _stepCount = 0;
            var mean = 0.0;
            var max = double.NegativeInfinity;
            var min = double.PositiveInfinity;
            foreach (var v in _stepWindow)
            {
                mean += v;
                max = Math.Max(max, v);
                min = Math.Min(min, v);
            }

            mean /= _stepWindow.Length;
            if (_dsi == 1)
            {
                _movingAverage = mean;
            }

            _movingAverage = (_movingAverage + mean) / 2;
            var ds = Math.Abs(max - _movingAverage) < Math.Abs(min - _movingAverage) ? min : max;
            if (Math.Abs(ds - mean) < 0.1 * mean)
            {
                ds = mean;
            }

            if (!Ready)
            {
                _rawPoints[_rawCount++] = ds;
                if (_rawCount == _trend)
                {
                    var m = _margin * (_rawMax - _rawMin);
                    _min = _rawMin - m;
                    _max = _rawMax + m;
                    Ready = true;
                    for (var k = 0; k < _rawCount; k++)
                    {
                        _dsi = k + 1;
                        Point(_rawPoints[k]);
                    }

                    _dsi = _rawCount + 1;
                }
            }
            else
            {
                anomaly = Point(ds);
                _dsi++;
            }
        }

        _i++;
        return anomaly;
    }

    private double Point(double ds)
    {
        ds -= _min;
        if (_max - _min != 0)
        {
            ds /= _max - _min;
        }

        var level = Math.Clamp((int)Math.Round(ds * Levels, MidpointRounding.ToEven), 0, Levels);
        ds = level / (double)Levels;
        Median(level);
        var median = _medianLevel / (double)Levels;
        if (Math.Abs(ds - median) < Chomp)
        {
            ds = median;
        }

        Array.Clear(_feature);
        Shift(_levels, ds);
        if (_dsi >= Window)
        {
            Form();
        }

        return Features();
    }

    // Not strictly a running median but close enough (ARTime's own words): a histogram of levels and a pointer.
    private void Median(int level)
    {
        _medianBins[level]++;
        var position = _dsi / 2;
        if (_dsi == 1)
        {
            _medianLevel = level;
        }

        if (_medianLevel > level)
        {
            _below++;
        }
        else if (_medianLevel < level)
        {
            _above++;
        }

        if (position < _above)
        {
            _below += _medianBins[_medianLevel];
            _medianLevel++;
            while (_medianBins[_medianLevel] == 0)
            {
                _medianLevel++;
            }

            _above -= _medianBins[_medianLevel];
        }
        else if (position < _below)
        {
            _above += _medianBins[_medianLevel];
            _medianLevel--;
            while (_medianBins[_medianLevel] == 0)
            {
                _medianLevel--;
            }

            _below -= _medianBins[_medianLevel];
        }
    }

    // The feature: the Haar wavelet of the window's min-max-normalised form, itself normalised, then the levels.
    private void Form()
    {
        var lo = double.PositiveInfinity;
        foreach (var v in _levels)
        {
            lo = Math.Min(lo, v);
        }

        var hi = double.NegativeInfinity;
        for (var k = 0; k < Window; k++)
        {
            _scratch[k] = _levels[k] - lo;
            hi = Math.Max(hi, _scratch[k]);
        }

        if (hi != 0)
        {
            for (var k = 0; k < Window; k++)
            {
                _scratch[k] /= hi;
            }
        }

        Haar(_scratch, _feature.AsSpan(0, Window));
        lo = double.PositiveInfinity;
        for (var k = 0; k < Window; k++)
        {
            lo = Math.Min(lo, _feature[k]);
        }

        hi = double.NegativeInfinity;
        for (var k = 0; k < Window; k++)
        {
            _feature[k] -= lo;
            hi = Math.Max(hi, _feature[k]);
        }

        for (var k = 0; k < Window; k++)
        {
            if (hi != 0)
            {
                _feature[k] /= hi;
            }

            _feature[Window + k] = _levels[k];
        }
    }

    // Full Haar transform in place of a copy: [approximation, coarsest detail, ..., finest details].
    private static void Haar(double[] a, Span<double> output)
    {
        var n = a.Length;
        Span<double> work = stackalloc double[n];
        a.CopyTo(work);
        var m = n;
        while (m > 1)
        {
            var h = m / 2;
            for (var k = 0; k < h; k++)
            {
                var s = (work[2 * k] + work[(2 * k) + 1]) / Math.Sqrt(2);
                var d = (work[2 * k] - work[(2 * k) + 1]) / Math.Sqrt(2);
                output[h + k] = d;
                work[k] = s;
            }

            m = h;
        }

        output[0] = work[0];
    }

    private double Features()
    {
        var i = _dsi;
        if (i <= _trend)
        {
            _feature.CopyTo(_trendFeatures.AsSpan((int)(i - 1) * 2 * Window, 2 * Window));
            if (i == _trend)
            {
                var rho = InitialRho();
                _memory.LowerVigilance = rho;
                _memory.UpperVigilance = rho;
                for (var k = 0; k < _trend; k++)
                {
                    Detect(_trendFeatures.AsSpan(k * 2 * Window, 2 * Window), k + 1);
                }
            }

            return 0;
        }

        return Detect(_feature, i);
    }

    // The initial vigilance: learn the learning period's features from the most typical to the least (by summed
    // cosine similarity) at vigilance 0.8 and take the mean match of the second half.
    private double InitialRho()
    {
        var first = Window - 1;
        var n = _trend - first;
        Array.Clear(_similaritySums);
        for (var a = 0; a < n; a++)
        {
            _similaritySums[a] += 1;
            for (var b = 0; b < a; b++)
            {
                var s = Cosine(Row(first + a), Row(first + b));
                _similaritySums[a] += s;
                _similaritySums[b] += s;
            }
        }

        for (var k = 0; k < n; k++)
        {
            _order[k] = k;
        }

        // Stable sort by summed similarity, ascending (an insertion sort: once, over a few hundred rows).
        for (var k = 1; k < n; k++)
        {
            var item = _order[k];
            var j = k - 1;
            while (j >= 0 && _similaritySums[_order[j]] > _similaritySums[item])
            {
                _order[j + 1] = _order[j];
                j--;
            }

            _order[j + 1] = item;
        }

        _initMemory.Clear();
        _initMemory.LowerVigilance = InitialVigilance;
        _initMemory.UpperVigilance = InitialVigilance;
        var sum = 0.0;
        var count = 0;
        var from = (_trend / 2) - 1;
        for (var k = 0; k < n; k++)
        {
            _initMemory.Train(Row(first + _order[k]));
            if (k >= from)
            {
                sum += _initMemory.LastMatch;
                count++;
            }
        }

        return count > 0 ? sum / count : InitialVigilance;
    }

    private ReadOnlySpan<double> Row(int k) => _trendFeatures.AsSpan(k * 2 * Window, 2 * Window);

    private static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double na = 0, nb = 0, dot = 0;
        for (var k = 0; k < a.Length; k++)
        {
            na += a[k] * a[k];
            nb += b[k] * b[k];
            dot += a[k] * b[k];
        }

        na = Math.Sqrt(na);
        nb = Math.Sqrt(nb);
        return na == 0 ? 1 - nb : nb == 0 ? 1 - na : dot / (na * nb);
    }

    private double Detect(ReadOnlySpan<double> f, long i)
    {
        var updateAfterAnomaly = i - _lastAnomaly == _mask;
        var updateForTrend = i - _lastVigilanceUpdate >= _trend / 2;
        var maskAfterAnomaly = i - _lastAnomaly <= _mask;
        if (i > _trend + _mask && _maskAfterCategory && _noNewCategory >= _mask)
        {
            _maskAfterCategory = false;
        }

        int category;
        if (i < Window)
        {
            _memory.Train(f, learning: false);
            category = -1;
        }
        else
        {
            category = _memory.Train(f);
        }

        _noNewCategory = category == -1 ? 0 : _noNewCategory + 1;
        var match = _memory.LastMatch;
        var endMatch = _memory.LastEndMatch;
        _matchCount++;
        _matchMean += (match - _matchMean) / _matchCount;
        Shift(_similarity, match);
        Shift(_similarityDiff, _memory.UpperVigilance - match);
        if (i - _lastAnomaly < _mask && _anomalyCount > 0 && match < LastAnomalySim())
        {
            SetLastAnomalySim(match);
        }

        var masking = _maskAfterCategory || maskAfterAnomaly;
        var belowLast = match < _lastAnomalySim * (maskAfterAnomaly ? 0.90 : 0.70);
        var anomaly = 0.0;
        if (i > _trend && category == -1 && (!masking || belowLast))
        {
            anomaly = Confidence(match, endMatch);
            AddAnomalySim(match);
            _lastAnomalySim = match;
            _lastAnomaly = i;
        }

        _maskAfterCategory = category == -1 || _maskAfterCategory;
        if (i > _trend && (updateAfterAnomaly || updateForTrend))
        {
            UpdateVigilance(i);
        }

        return anomaly;
    }

    private void UpdateVigilance(long i)
    {
        var minimum = double.PositiveInfinity;
        foreach (var s in _similarity)
        {
            minimum = Math.Min(minimum, s);
        }

        var upper = Math.Min(0.97, _matchMean);
        var previous = _memory.LowerVigilance;
        double lower;
        if (previous <= minimum)
        {
            lower = previous + ((minimum - previous) * 0.19);
        }
        else
        {
            var decrease = 0.0;
            if (i > _trend * 2)
            {
                var sum = 0.0;
                var count = 0;
                foreach (var d in _similarityDiff)
                {
                    if (d > 0.05)
                    {
                        sum += Math.Min(0.37, d);
                        count++;
                    }
                }

                decrease = count > 0 ? sum / count : 0;
            }

            decrease = Math.Max(0.01, decrease);
            lower = previous - (decrease / 2);
            if (_anomalyCount > 0)
            {
                lower = Math.Max(_anomalySimSum / _anomalyCount, lower);
            }
        }

        _memory.LowerVigilance = Math.Min(upper, lower);
        _memory.UpperVigilance = upper;
        _lastVigilanceUpdate = i;
        _maskAfterCategory = true;
    }

    private double Confidence(double featureSim, double energySim)
    {
        featureSim = Math.Min(0.999, featureSim);
        var ub = ((1 - featureSim) - (1 - _memory.UpperVigilance)) / (1 - featureSim);
        var lb = ((1 - featureSim) - (1 - _memory.LowerVigilance)) / (1 - featureSim);
        return Math.Min(1.0, (ub * 0.35) + (lb * 0.65) + ((1 - energySim) * 1.5));
    }

    // The similarities of past anomalies: only their mean and the last one are used, so a sum and the last suffice.
    private void AddAnomalySim(double sim)
    {
        _anomalyCount++;
        _anomalySimSum += sim;
        _anomalySims[0] = sim;
    }

    private double LastAnomalySim() => _anomalySims[0];

    private void SetLastAnomalySim(double sim)
    {
        _anomalySimSum += sim - _anomalySims[0];
        _anomalySims[0] = sim;
    }

    private static void Shift(double[] window, double value)
    {
        Array.Copy(window, 1, window, 0, window.Length - 1);
        window[^1] = value;
    }
}
