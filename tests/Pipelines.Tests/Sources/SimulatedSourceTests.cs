using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class SimulatedSourceTests
{
    [Fact]
    public async Task Real_time_paces_samples_at_the_rate_with_timestamps_one_period_apart()
    {
        var options = new SimulatedSourceOptions { SampleRateHz = 50, RealTime = true };
        await using var runner = new SourceRunner(new SimulatedSource(SourceRunner.Context("sim", "a", "b"), options));
        await SourceRunner.Until(() => runner.Samples.Count >= 20, "ten frames");
        var started = DateTime.UtcNow;
        await Task.Delay(300);
        var count = runner.Samples.Count;
        var elapsed = (DateTime.UtcNow - started).TotalSeconds + 0.2;

        // Paced, not flooding: generous bounds around 50 frames (100 samples) per second.
        count.Should().BeLessThan((int)(elapsed * 100 * 3) + 20);
        var a = runner.Samples.Where(s => s.Channel == 0).Take(10).ToList();
        a.Zip(a.Skip(1)).Should().OnlyContain(p => p.Second.TimestampTicks - p.First.TimestampTicks == TimeSpan.TicksPerSecond / 50);
        runner.Samples.Take(2).Select(s => s.Channel).Should().Equal(0, 1);
    }

    [Fact]
    public async Task As_fast_as_possible_matches_the_generator_sample_for_sample()
    {
        var options = new SimulatedSourceOptions { SampleRateHz = 10, RealTime = false, Seed = 3, Signals = [new SignalOptions { Shape = SignalShape.RandomWalk }] };
        await using var runner = new SourceRunner(new SimulatedSource(SourceRunner.Context("sim", "v"), options, startTicks: 1_000_000));
        await SourceRunner.Until(() => runner.Samples.Count >= 1000, "a thousand samples");
        var generator = new SignalGenerator(options, 1);
        var value = new double[1];
        foreach (var sample in runner.Samples.Take(1000))
        {
            generator.Next(value);
            sample.Value.Should().Be(value[0]);
        }

        runner.Samples[999].TimestampTicks.Should().Be(1_000_000 + (999 * TimeSpan.TicksPerSecond / 10));
    }
}
