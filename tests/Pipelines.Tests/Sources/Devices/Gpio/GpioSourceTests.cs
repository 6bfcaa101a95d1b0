using System.Device.Gpio;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices.Gpio;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Gpio;

/// <summary>The gpio source over an emulated chip driven through System.Device.Gpio's controller, and over the
/// kernel's (absent here) /dev/gpiochip0.</summary>
public sealed class GpioSourceTests
{
    private readonly EmulatedBus _bus = new() { Gpio = new EmulatedGpioDriver() };

    private static SourceOptions Options(int pollMilliseconds, params (string Name, string Field)[] channels) => new()
    {
        Type = SourceType.Gpio,
        PollIntervalMilliseconds = pollMilliseconds,
        MaxRetrySeconds = 1,
        Channels = [.. channels.Select(c => new SourceChannelOptions { Name = c.Name, Field = c.Field })],
    };

    private PolledSource Build(SourceOptions options) =>
        GpioSources.Create(options, new SourceContext("p/gpio0", 0, options.EffectiveChannels(), NullLogger.Instance),
            TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), TimeSpan.FromSeconds(1), _bus.Buses);

    [Fact]
    public async Task A_level_channel_follows_the_input_with_the_configured_pull_up()
    {
        var chip = _bus.Gpio!;
        await using var runner = new SourceRunner(Build(Options(10, ("door", "level:17"))));
        await SourceRunner.Until(() => runner.Samples.Any(s => s.Value == 1), "the open contact read high");
        chip.Modes[17].Should().Be(PinMode.InputPullUp);
        chip.Set(17, false);
        await SourceRunner.Until(() => runner.Samples[^1].Value == 0, "the closed contact read low");
    }

    [Fact]
    public async Task Edges_are_debounced_counted_and_turned_into_a_frequency()
    {
        var chip = _bus.Gpio!;
        var options = Options(100, ("pulses", "count:22"), ("rate", "frequency:22"));
        options.Gpio.DebounceMilliseconds = 5;
        await using var runner = new SourceRunner(Build(options));
        await SourceRunner.Until(() => runner.Samples.Count >= 1, "the first poll");

        // One press of a bouncing contact: three falling edges within microseconds count once.
        foreach (var level in new[] { false, true, false, true, false, true })
        {
            chip.Set(22, level);
        }

        await SourceRunner.Until(() => runner.Samples.Any(s => s.Channel == 0 && s.Value == 1), "one debounced edge");
        for (var i = 0; i < 9; i++)
        {
            await Task.Delay(15);
            chip.Set(22, false);
            chip.Set(22, true);
        }

        await SourceRunner.Until(() => runner.Samples.Any(s => s.Channel == 0 && s.Value == 10), "ten debounced edges");
        runner.Samples.Where(s => s.Channel == 1).Should().Contain(s => s.Value > 0, "edges in a poll interval give a frequency");
        var settled = runner.Samples.Count;
        await SourceRunner.Until(() => runner.Samples.Skip(settled).Any(s => s.Channel == 1 && s.Value == 0), "no edges, 0 Hz");
        runner.Samples.Where(s => s.Channel == 0).Max(s => s.Value).Should().Be(10);
    }

    [Fact]
    public void Check_config_explains_the_field_syntax()
    {
        var errors = new List<ConfigError>();
        Options(10, ("door", "levl:17"), ("flow", "count:22")).Validate("s", errors);
        errors.Select(e => e.ToString()).Should().Equal("s.channels[0].field: 'levl:17' is not a gpio input; use level:N, count:N or frequency:N (N = the line offset, e.g. level:17)");
    }

    [Fact]
    public async Task A_gpio_chip_the_machine_does_not_have_is_reported_down_and_retried()
    {
        var chip = Enumerable.Range(0, 64).First(n => !File.Exists($"/dev/gpiochip{n}"));
        var options = Options(10, ("door", "level:17"));
        options.Gpio.Chip = chip;
        var source = (PolledSource)SensorPipelineFactory.CreateSources(new PipelineOptions { Name = "p", Sources = [options] }, NullLoggerFactory.Instance).Single();
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => source.Counters.ReadErrors >= 2, "retries of the missing chip");
        source.Counters.DeviceLost.Should().Be(1);
        source.Connected.Should().BeFalse();
    }
}
