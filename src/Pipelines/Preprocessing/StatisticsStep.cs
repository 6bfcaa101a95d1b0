using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>Per-channel summary statistics, computed in double precision in two passes over the window.</summary>
public sealed class StatisticsStep : FeatureStep
{
    private readonly int[] _channels;
    private readonly Statistic[] _statistics;

    public StatisticsStep(int[] channels, IReadOnlyList<Statistic> statistics)
    {
        _channels = channels;
        _statistics = [.. statistics];
    }

    public override int Length => _channels.Length * _statistics.Length;

    public override void Write(WindowData window, Span<float> destination, Span<float> written)
    {
        var o = 0;
        foreach (var channel in _channels)
        {
            var x = window.Channel(channel);
            var moments = Moments.Of(x);
            foreach (var statistic in _statistics)
            {
                destination[o++] = (float)(statistic switch
                {
                    Statistic.Mean => moments.Mean,
                    Statistic.Std => Math.Sqrt(moments.M2),
                    Statistic.Min => moments.Min,
                    Statistic.Max => moments.Max,
                    Statistic.Rms => Math.Sqrt(moments.MeanSquare),
                    Statistic.PeakToPeak => moments.Max - moments.Min,
                    Statistic.Kurtosis => moments.M2 > 1e-24 ? (moments.M4 / (moments.M2 * moments.M2)) - 3 : 0,
                    Statistic.Slope => moments.Slope,
                    _ => x.Length > 0 ? x[^1] : 0,
                });
            }
        }
    }

    public override void AddNames(List<string> names, IReadOnlyList<string> channelNames)
    {
        foreach (var c in _channels)
        {
            foreach (var statistic in _statistics)
            {
                names.Add($"{channelNames[c]}.{ConfigPath.CamelCase(statistic.ToString())}");
            }
        }
    }

    /// <summary>Central moments, extremes and the least-squares slope (per sample) of one channel.</summary>
    private readonly record struct Moments(double Mean, double M2, double M4, double Min, double Max, double MeanSquare, double Slope)
    {
        public static Moments Of(ReadOnlySpan<double> x)
        {
            if (x.IsEmpty)
            {
                return default;
            }

            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity, squares = 0;
            foreach (var v in x)
            {
                sum += v;
                squares += v * v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            var n = x.Length;
            var mean = sum / n;
            double m2 = 0, m4 = 0, sxy = 0;
            var centre = (n - 1) / 2.0;
            for (var i = 0; i < n; i++)
            {
                var d = x[i] - mean;
                var d2 = d * d;
                m2 += d2;
                m4 += d2 * d2;
                sxy += (i - centre) * d;
            }

            var sxx = n * ((n * (double)n) - 1) / 12.0;
            return new Moments(mean, m2 / n, m4 / n, min, max, squares / n, sxx > 0 ? sxy / sxx : 0);
        }
    }
}
