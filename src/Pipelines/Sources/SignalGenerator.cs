namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// The simulated source's arithmetic: sample n of every channel as a pure function of the options and the seed
/// (random walk and noise consume the generator in order, so the sequence is the same on every run).
/// </summary>
public sealed class SignalGenerator
{
    private readonly SignalOptions[] _signals;
    private readonly InjectedAnomalyOptions[] _anomalies;
    private readonly double[] _walk;
    private readonly double[] _stuck;
    private readonly int[] _stuckCycle;
    private readonly double _period;
    private SplitMix _random;
    private long _index;

    public SignalGenerator(SimulatedSourceOptions options, int channels)
    {
        _signals = new SignalOptions[channels];
        for (var i = 0; i < channels; i++)
        {
            _signals[i] = i < options.Signals.Count ? options.Signals[i] : new SignalOptions();
        }

        _anomalies = [.. options.Anomalies.Where(a => a.Channel < channels)];
        _walk = new double[channels];
        _stuck = new double[_anomalies.Length];
        _stuckCycle = new int[_anomalies.Length];
        Array.Fill(_stuckCycle, -1);
        _period = 1.0 / options.SampleRateHz;
        _random = new SplitMix(options.Seed);
    }

    public int Channels => _signals.Length;

    /// <summary>Seconds since the start of the sample <see cref="Next"/> produces next.</summary>
    public double Time => _index * _period;

    /// <summary>True while any injected anomaly is active at <paramref name="seconds"/>.</summary>
    public bool IsAnomalous(double seconds)
    {
        foreach (var anomaly in _anomalies)
        {
            if (Phase(anomaly, seconds, out _) is >= 0 and var phase && phase <= Math.Max(anomaly.DurationSeconds, _period))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the next sample of every channel into <paramref name="values"/>.</summary>
    public void Next(Span<double> values)
    {
        var t = Time;
        for (var c = 0; c < _signals.Length; c++)
        {
            var signal = _signals[c];
            var value = signal.Shape switch
            {
                SignalShape.Sine => signal.Offset + (signal.Amplitude * Math.Sin(2 * Math.PI * t / signal.PeriodSeconds)),
                SignalShape.RandomWalk => signal.Offset + (_walk[c] += signal.Amplitude * _random.NextGaussian()),
                _ => signal.Offset,
            };
            values[c] = value + (signal.Noise * _random.NextGaussian());
        }

        for (var a = 0; a < _anomalies.Length; a++)
        {
            var anomaly = _anomalies[a];
            var phase = Phase(anomaly, t, out var cycle);
            if (phase < 0 || (phase >= anomaly.DurationSeconds && !(anomaly.Kind == AnomalyKind.Spike && phase < _period)))
            {
                continue;
            }

            ref var value = ref values[anomaly.Channel];
            switch (anomaly.Kind)
            {
                case AnomalyKind.Spike when phase < _period:
                    value += anomaly.Magnitude;
                    break;
                case AnomalyKind.LevelShift:
                    value += anomaly.Magnitude;
                    break;
                case AnomalyKind.Drift:
                    value += anomaly.Magnitude * phase;
                    break;
                case AnomalyKind.StuckValue:
                    if (_stuckCycle[a] != cycle)
                    {
                        _stuckCycle[a] = cycle;
                        _stuck[a] = value;
                    }

                    value = _stuck[a];
                    break;
                case AnomalyKind.NoiseBurst:
                    value += anomaly.Magnitude * _random.NextGaussian();
                    break;
            }
        }

        _index++;
    }

    /// <summary>Seconds since the anomaly's start in its current repetition, negative before it.</summary>
    private static double Phase(InjectedAnomalyOptions anomaly, double t, out int cycle)
    {
        cycle = 0;
        if (anomaly.EverySeconds > 0)
        {
            cycle = (int)Math.Floor(t / anomaly.EverySeconds);
            t -= cycle * anomaly.EverySeconds;
        }

        return t - anomaly.AtSeconds;
    }
}
