namespace EdgeAgent.Pipelines.Alerts;

/// <summary>
/// The adaptive layer (the anomaly-likelihood idea of Numenta's HTM detector): the mean of the recent raw scores is
/// judged against the long-run mean and spread of all raw scores, learned with exponential forgetting. The result is
/// in standard deviations, so one threshold fits any model's scale, and after a drift the "normal" level follows the
/// new scores: an alert raised by the drift ends once the drift has become the usual. Allocates nothing per window.
/// </summary>
public sealed class ScoreLikelihood
{
    // A model that emits exactly 0 for every normal window still has a logarithm.
    private const double LogFloor = 1e-9;

    private readonly double[] _recent;
    private readonly int _warmup;
    private readonly double _minRate;
    private readonly bool _logarithm;
    private int _next;
    private int _count;
    private double _mean;
    private double _variance;
    private long _seen;

    public ScoreLikelihood(AdaptiveOptions options)
    {
        _recent = new double[options.RecentWindows];
        _warmup = options.WarmupWindows;
        _minRate = 1.0 / options.HistoryWindows;
        _logarithm = options.Logarithm;
    }

    /// <summary>How unusual the recent scores are, in long-run standard deviations; 0 while warming up.</summary>
    public double Judge(double score)
    {
        var x = _logarithm ? Math.Log(Math.Max(score, 0) + LogFloor) : score;
        _recent[_next] = x;
        _next = (_next + 1) % _recent.Length;
        _count = Math.Min(_count + 1, _recent.Length);

        // Summed afresh (a few values): a running sum would accumulate rounding error over months.
        var recent = 0.0;
        for (var i = 0; i < _count; i++)
        {
            recent += _recent[i];
        }

        recent /= _count;
        var result = _seen >= _warmup && _variance > 1e-18 ? (recent - _mean) / Math.Sqrt(_variance) : 0;

        // Learn after judging: a window is judged by what came before it.
        _seen++;
        var rate = Math.Max(_minRate, 1.0 / _seen);
        var delta = x - _mean;
        _mean += rate * delta;
        _variance = (1 - rate) * (_variance + rate * delta * delta);
        return result;
    }
}
