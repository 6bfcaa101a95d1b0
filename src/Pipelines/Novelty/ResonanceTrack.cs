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
internal sealed partial class ResonanceTrack
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
