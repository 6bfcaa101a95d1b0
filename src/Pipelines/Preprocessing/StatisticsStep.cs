using System.Numerics;
using System.Runtime.InteropServices;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>Per-channel summary statistics, computed in double precision in one vectorised pass over the window (two for kurtosis and slope).</summary>
public sealed class StatisticsStep : FeatureStep
{
    private readonly int[] _channels;
    private readonly Statistic[] _statistics;
    private readonly bool _needsSecondPass;

    public StatisticsStep(int[] channels, IReadOnlyList<Statistic> statistics)
    {
        _channels = channels;
        _statistics = [.. statistics];
        _needsSecondPass = _statistics.Contains(Statistic.Kurtosis) || _statistics.Contains(Statistic.Slope);
    }

    public override int Length => _channels.Length * _statistics.Length;

    public override void Write(WindowData window, Span<float> destination, Span<float> written)
    {
        var o = 0;
        foreach (var channel in _channels)
        {
            var x = window.Channel(channel);
            var moments = Moments.Of(x, _needsSecondPass);
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
        /// <summary>
        /// One vectorised pass gives mean, variance, extremes and RMS; a second pass only for kurtosis and slope.
        /// The sums are taken about the first sample, so a small variation on a large offset (a temperature of
        /// 60 varying by 0.1) keeps its precision instead of cancelling in sum-of-squares minus squared sum.
        /// </summary>
        public static Moments Of(ReadOnlySpan<double> x, bool secondPass)
        {
            if (x.IsEmpty)
            {
                return default;
            }

            var n = x.Length;
            var shift = x[0];
            var i = 0;
            double sum = 0, squares = 0, min = x[0], max = x[0];
            if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
            {
                var vShift = new Vector<double>(shift);
                Vector<double> vSum = Vector<double>.Zero, vSquares = Vector<double>.Zero;
                Vector<double> vMin = new(x[0]), vMax = new(x[0]);

                // The loop bounds keep every load inside x, so the loads skip the slice and its checks.
                ref readonly var first = ref MemoryMarshal.GetReference(x);

                // Four vectors a step: the sums still take each lane's values one after another (the same result to
                // the bit), while the extremes, exact in any order, run as four independent chains rather than one
                // (a min or max of doubles is three dependent instructions, so one chain would set the pace).
                var width = Vector<double>.Count;
                Vector<double> vMin1 = vMin, vMin2 = vMin, vMin3 = vMin, vMax1 = vMax, vMax2 = vMax, vMax3 = vMax;
                for (; i <= n - (4 * width); i += 4 * width)
                {
                    var v0 = Vector.LoadUnsafe(in first, (nuint)i);
                    var v1 = Vector.LoadUnsafe(in first, (nuint)(i + width));
                    var v2 = Vector.LoadUnsafe(in first, (nuint)(i + (2 * width)));
                    var v3 = Vector.LoadUnsafe(in first, (nuint)(i + (3 * width)));
                    var d0 = v0 - vShift;
                    var d1 = v1 - vShift;
                    var d2 = v2 - vShift;
                    var d3 = v3 - vShift;
                    vSum += d0;
                    vSum += d1;
                    vSum += d2;
                    vSum += d3;
                    vSquares += d0 * d0;
                    vSquares += d1 * d1;
                    vSquares += d2 * d2;
                    vSquares += d3 * d3;
                    vMin = Vector.Min(vMin, v0);
                    vMin1 = Vector.Min(vMin1, v1);
                    vMin2 = Vector.Min(vMin2, v2);
                    vMin3 = Vector.Min(vMin3, v3);
                    vMax = Vector.Max(vMax, v0);
                    vMax1 = Vector.Max(vMax1, v1);
                    vMax2 = Vector.Max(vMax2, v2);
                    vMax3 = Vector.Max(vMax3, v3);
                }

                vMin = Vector.Min(Vector.Min(vMin, vMin1), Vector.Min(vMin2, vMin3));
                vMax = Vector.Max(Vector.Max(vMax, vMax1), Vector.Max(vMax2, vMax3));
                for (; i <= n - width; i += width)
                {
                    var v = Vector.LoadUnsafe(in first, (nuint)i);
                    var d = v - vShift;
                    vSum += d;
                    vSquares += d * d;
                    vMin = Vector.Min(vMin, v);
                    vMax = Vector.Max(vMax, v);
                }

                sum = Vector.Sum(vSum);
                squares = Vector.Sum(vSquares);
                for (var k = 0; k < Vector<double>.Count; k++)
                {
                    min = Math.Min(min, vMin[k]);
                    max = Math.Max(max, vMax[k]);
                }
            }

            for (; i < n; i++)
            {
                var d = x[i] - shift;
                sum += d;
                squares += d * d;
                min = Math.Min(min, x[i]);
                max = Math.Max(max, x[i]);
            }

            var meanShifted = sum / n;
            var mean = shift + meanShifted;
            var m2 = Math.Max(0, (squares / n) - (meanShifted * meanShifted));
            var meanSquare = m2 + (mean * mean);
            if (!secondPass)
            {
                return new Moments(mean, m2, 0, min, max, meanSquare, 0);
            }

            double m4 = 0, sxy = 0;
            var centre = (n - 1) / 2.0;
            for (var k = 0; k < n; k++)
            {
                var d = x[k] - mean;
                var d2 = d * d;
                m4 += d2 * d2;
                sxy += (k - centre) * d;
            }

            var sxx = n * ((n * (double)n) - 1) / 12.0;
            return new Moments(mean, m2, m4 / n, min, max, meanSquare, sxx > 0 ? sxy / sxx : 0);
        }
    }
}
