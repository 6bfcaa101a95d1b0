using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>Per-channel summary statistics, computed in double precision in one vectorised pass over the window (two for kurtosis and slope).</summary>
public sealed partial class StatisticsStep : FeatureStep
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
        // Channels in pairs: their sums are independent chains of dependent additions, so taking two at once
        // lets the second channel's run in the first's latency (each channel's own sums keep their order).
        var o = 0;
        var c = 0;
        for (; c + 1 < _channels.Length; c += 2)
        {
            var x = window.Channel(_channels[c]);
            var y = window.Channel(_channels[c + 1]);
            Moments.Of(x, y, _needsSecondPass, out var mx, out var my);
            o = Put(mx, x, destination, o);
            o = Put(my, y, destination, o);
        }

        if (c < _channels.Length)
        {
            var x = window.Channel(_channels[c]);
            Put(Moments.Of(x, _needsSecondPass), x, destination, o);
        }
    }

    private int Put(in Moments moments, ReadOnlySpan<double> x, Span<float> destination, int o)
    {
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

        return o;
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
}
