using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests;

public sealed class PipelineOptionsTests
{
    private static List<string> Errors(IValidatedOptions options, string path)
    {
        var errors = new List<ConfigError>();
        options.Validate(path, errors);
        return [.. errors.Select(e => e.ToString())];
    }

    [Fact]
    public void A_bare_pipeline_is_valid_and_defaults_to_a_simulated_source_and_statistics()
    {
        var options = new PipelineOptions { Name = "p" };
        Errors(options, "pipelines[0]").Should().BeEmpty();
        options.EffectiveSources().Should().ContainSingle().Which.Type.Should().Be(SourceType.Simulated);
        options.EffectiveFeatures().Should().ContainSingle().Which.Kind.Should().Be(FeatureKind.Statistics);
    }

    [Fact]
    public void Cross_field_mistakes_name_the_path_and_the_fix()
    {
        var options = new PipelineOptions
        {
            Name = "p",
            Sources =
            [
                new SourceOptions { Channels = [new SourceChannelOptions { Name = "t" }] },
                new SourceOptions { Type = SourceType.Replay, Channels = [new SourceChannelOptions { Name = "t" }] },
            ],
            Window = new WindowOptions { Unit = WindowUnit.Seconds, Size = 10, Hop = 5 },
            Features = [new FeatureOptions { Kind = FeatureKind.FftBands, Channels = ["x"] }],
        };
        Errors(options, "pipelines[0]").Should().BeEquivalentTo(
            "pipelines[0].sources[1].channels: channel 't' is also produced by another source; channel names must be unique within a pipeline",
            "pipelines[0].features[0].kind: 'fftBands' needs a fixed number of samples per window; set window.unit to 'samples'",
            "pipelines[0].features[0].channels: unknown channel 'x'; the sources produce: t");
        Errors(options.Sources[1], "pipelines[0].sources[1]").Should().Equal(
            "pipelines[0].sources[1].replay.path: is required for a replay source (the CSV or JSON Lines file to read)");
    }

    [Fact]
    public void Section_rules()
    {
        Errors(new WindowOptions { Size = 8, Hop = 16 }, "w").Should().Equal("w.hop: must not exceed size (8), got 16; samples between windows would be skipped");
        Errors(new WindowOptions { Size = 8.5, Hop = 2 }, "w").Should().Equal("w.size: with unit 'samples', size (>= 2) and hop must be whole numbers, got 8.5 and 2");
        Errors(new PipelineOptions { Name = "p", Window = new WindowOptions { Size = 48, Hop = 8 }, Features = [new FeatureOptions { Kind = FeatureKind.FftBands }] }, "p")
            .Should().Equal("p.window.size: fftBands needs a power-of-two window size (e.g. 64, 128, 256), got 48");
        Errors(new AlertOptions { RaiseThreshold = 1, ClearThreshold = 2 }, "a").Should().Equal("a.clearThreshold: must not exceed raiseThreshold (1), got 2");
        Errors(new ScorerOptions { Kind = ScorerKind.Probability, Classes = ["ok", "bad"], AnomalousClasses = ["worse"] }, "s")
            .Should().Equal("s.anomalousClasses: 'worse' is not one of classes (ok, bad)");
        Errors(new FeatureOptions { Kind = FeatureKind.Standardize, Mean = [1, 2], Std = [1, 0] }, "f").Should().Equal("f.std[1]: must be a positive number, got 0");
        Errors(new SourceOptions { Type = SourceType.I2c, I2c = new I2cSourceOptions { Registers = [new(), new()] } }, "s")
            .Should().Equal("s.i2c.registers: needs one register per channel: 1 channel(s), 2 register(s)");
        Errors(new SourceChannelOptions { Min = 5, Max = 1 }, "c").Should().Equal("c.max: must be greater than min (5), got 1");
        Errors(new InjectedAnomalyOptions { AtSeconds = 50, DurationSeconds = 20, EverySeconds = 60 }, "a").Should().Equal("a.everySeconds: must be at least atSeconds + durationSeconds (70), got 60");
    }
}
