using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class SignalGeneratorTests
{
    private static double[] Generate(SimulatedSourceOptions options, int n)
    {
        var generator = new SignalGenerator(options, 1);
        var result = new double[n];
        var value = new double[1];
        for (var i = 0; i < n; i++)
        {
            generator.Next(value);
            result[i] = value[0];
        }

        return result;
    }

    [Fact]
    public void Same_seed_same_samples_other_seed_other_samples()
    {
        var options = new SimulatedSourceOptions { Signals = [new SignalOptions { Shape = SignalShape.RandomWalk, Noise = 0.1 }] };
        Generate(options, 500).Should().Equal(Generate(options, 500));
        options.Seed = 7;
        var other = Generate(options, 500);
        options.Seed = 42;
        other.Should().NotEqual(Generate(options, 500));
    }

    [Fact]
    public void Sine_without_noise_follows_its_formula()
    {
        var options = new SimulatedSourceOptions { SampleRateHz = 1, Signals = [new SignalOptions { Offset = 10, Amplitude = 2, PeriodSeconds = 4, Noise = 0 }] };
        Generate(options, 8).Should().BeEquivalentTo(new[] { 10.0, 12, 10, 8, 10, 12, 10, 8 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-9)).WhenTypeIs<double>());
    }

    [Fact]
    public void Each_injected_anomaly_changes_exactly_its_interval()
    {
        var signal = new SignalOptions { Shape = SignalShape.Noise, Offset = 5, Noise = 0 };
        SimulatedSourceOptions With(AnomalyKind kind, double magnitude) => new()
        {
            SampleRateHz = 1,
            Signals = [signal],
            Anomalies = [new InjectedAnomalyOptions { Kind = kind, AtSeconds = 10, DurationSeconds = 5, Magnitude = magnitude }],
        };

        var spike = Generate(With(AnomalyKind.Spike, 3), 20);
        spike.Select((v, i) => (v, i)).Where(p => p.v != 5).Select(p => p.i).Should().Equal(10);
        spike[10].Should().Be(8);

        Generate(With(AnomalyKind.LevelShift, -2), 20).Select((v, i) => (v, i)).Where(p => p.v != 5).Select(p => p.i).Should().Equal(10, 11, 12, 13, 14);
        Generate(With(AnomalyKind.Drift, 1), 20)[10..16].Should().Equal(5, 6, 7, 8, 9, 5);

        var noisy = new SignalOptions { Shape = SignalShape.Noise, Offset = 5, Noise = 1 };
        var stuck = Generate(new SimulatedSourceOptions { SampleRateHz = 1, Signals = [noisy], Anomalies = [new InjectedAnomalyOptions { Kind = AnomalyKind.StuckValue, AtSeconds = 10, DurationSeconds = 5 }] }, 20);
        stuck[10..15].Distinct().Should().ContainSingle();
        stuck[15].Should().NotBe(stuck[14]);

        var burst = Generate(With(AnomalyKind.NoiseBurst, 4), 20);
        burst[..10].Should().AllBeEquivalentTo(5.0);
        burst[10..15].Should().OnlyContain(v => v != 5);
        burst[15..].Should().AllBeEquivalentTo(5.0);
    }

    [Fact]
    public void A_repeating_schedule_recurs()
    {
        var options = new SimulatedSourceOptions
        {
            SampleRateHz = 1,
            Signals = [new SignalOptions { Shape = SignalShape.Noise, Offset = 0, Noise = 0 }],
            Anomalies = [new InjectedAnomalyOptions { Kind = AnomalyKind.LevelShift, AtSeconds = 2, DurationSeconds = 1, Magnitude = 1, EverySeconds = 10 }],
        };
        Generate(options, 30).Select((v, i) => (v, i)).Where(p => p.v != 0).Select(p => p.i).Should().Equal(2, 12, 22);
        new SignalGenerator(options, 1).IsAnomalous(12.5).Should().BeTrue();
    }
}
