using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Sources.Devices.Vibration;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Vibration;

/// <summary>The adxl345 device source streaming through the chip's FIFO (sampleRateHertz), against an emulated
/// ADXL345 whose FIFO fills in real time at the configured output data rate.</summary>
public sealed class FifoAccelerometerSourceTests
{
    private const int Rate = 400;
    private const long Period = TimeSpan.TicksPerSecond / Rate;
    private readonly Adxl345FifoChip _chip = new();
    private readonly EmulatedBus _bus = new();

    public FifoAccelerometerSourceTests() => _bus.Spi = _chip;

    private static SourceOptions Options(int rate, params string[] channels) => new()
    {
        Type = SourceType.Device,
        MaxRetrySeconds = 1,
        Device = new DeviceSourceOptions { Driver = "adxl345", Bus = 0, SampleRateHertz = rate },
        Channels = [.. channels.Select(c => new SourceChannelOptions { Name = c })],
    };

    private FifoAccelerometerSource Build(SourceOptions options) =>
        (FifoAccelerometerSource)DeviceSources.Create(options, new SourceContext("p/vibration", 0, options.EffectiveChannels(), NullLogger.Instance),
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(options.MaxRetrySeconds), _bus.Buses);

    /// <summary>The X channel's values back as the emulated chip's sample numbers (X counts up, 256 LSB per g).</summary>
    private static List<(long Number, long Ticks)> Numbers(SourceRunner runner) =>
        [.. runner.Samples.Where(s => s.Channel == 0).Select(s => ((long)Math.Round(s.Value * 256), s.TimestampTicks))];

    /// <summary>The sample numbers missing between the first and the last received: exactly those the chip
    /// overwrote (this machine's load can cause overruns of its own besides the ones a test provokes).</summary>
    private void MissingAreExactlyTheOverwritten(List<(long Number, long Ticks)> numbers)
    {
        var received = numbers.Select(n => n.Number).ToList();
        received.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        var missing = Enumerable.Range(0, (int)(received[^1] - received[0] + 1)).Select(i => received[0] + i).Except(received);
        missing.Should().Equal(_chip.Lost().Where(n => n > received[0] && n < received[^1]));
    }

    [Fact]
    public async Task Streams_every_sample_in_order_in_g_stamped_by_the_sample_clock()
    {
        var source = Build(Options(Rate, "accelX", "accelY", "accelZ"));
        source.Interval.Should().Be(TimeSpan.FromMilliseconds(40), "half the FIFO (16 samples) at 400 Hz");
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => runner.Samples.Count >= 3 * Rate, "a second of samples");

        _chip.Registers[0x2c].Should().Be(0x0c, "BW_RATE: 400 Hz");
        _chip.Registers[0x31].Should().Be(0x0b, "DATA_FORMAT: full resolution, ±16 g");
        _chip.Registers[0x38].Should().Be(0x90, "FIFO_CTL: stream mode, watermark 16");
        _chip.Registers[0x2d].Should().Be(0x08, "POWER_CTL: measure");
        runner.Samples.Where(s => s.Channel == 2).Should().OnlyContain(s => s.Value == 1.0, "256 counts at 3.9 mg/LSB (256 LSB/g)");

        var numbers = Numbers(runner);
        MissingAreExactlyTheOverwritten(numbers);
        if (_chip.Overwritten == 0)
        {
            source.DroppedFrames.Should().Be(0, "nothing was overwritten, so nothing is counted as lost");
        }

        var steps = numbers.Zip(numbers.Skip(1)).Select(p => p.Second.Ticks - p.First.Ticks).ToList();
        steps.Should().OnlyContain(d => d > 0, "timestamps only move forward");
        steps.Count(d => d == Period).Should().BeGreaterThan(steps.Count * 9 / 10, "consecutive samples are one sample period (2.5 ms) apart, re-anchored only on drift");
    }

    [Fact]
    public async Task A_fifo_overrun_loses_samples_that_are_counted_as_dropped_and_the_sample_clock_jumps_over_them()
    {
        var source = Build(Options(Rate, "accelX", "accelY", "accelZ"));
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => runner.Samples.Count >= 3 * 40, "the first samples");

        // The reader is held for 300 ms: 120 samples arrive, the FIFO keeps 33.
        _chip.StallOnce = TimeSpan.FromMilliseconds(300);
        await SourceRunner.Until(() => _chip.Overwritten > 0 && source.DroppedFrames > 0, "the overrun seen");
        await SourceRunner.Until(() => Numbers(runner).Count > 0 && Numbers(runner)[^1].Number > _chip.Produced - 40, "samples after the overrun");

        var numbers = Numbers(runner);
        MissingAreExactlyTheOverwritten(numbers);
        var gaps = numbers.Zip(numbers.Skip(1)).Where(p => p.Second.Number - p.First.Number > 1).ToList();
        var stall = gaps.MaxBy(p => p.Second.Number - p.First.Number);
        (stall.Second.Number - stall.First.Number - 1).Should().BeGreaterThan(60, "300 ms at 400 Hz is 120 samples, of which the FIFO keeps 33");
        (stall.Second.Ticks - stall.First.Ticks).Should().BeGreaterThan((stall.Second.Number - stall.First.Number) * Period / 2, "the timestamps jump over the lost samples instead of closing the gap");
        numbers.Zip(numbers.Skip(1)).Should().OnlyContain(p => p.Second.Ticks > p.First.Ticks);

        // Estimated from the time the reader was away: within a few sample periods per overrun of this machine's
        // scheduling (the chip itself does not count what it overwrote).
        var lostSoFar = _chip.Lost().Count(n => n < numbers[^1].Number);
        source.DroppedFrames.Should().BeCloseTo(lostSoFar, (ulong)(12 * gaps.Count));
        source.Counters[BadInput.QueueFull].Should().Be(3 * source.DroppedFrames, "one per lost sample of each of the three channels");
    }

    [Fact]
    public async Task A_bus_that_vanishes_or_a_chip_reset_mid_run_is_reported_down_and_the_chip_set_up_again()
    {
        var source = Build(Options(Rate, "accelZ"));
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => runner.Samples.Count >= 20, "samples");
        runner.Samples.Should().OnlyContain(s => s.Channel == 0 && s.Value == 1.0, "only the configured channel, accelZ");

        _chip.Gone = true;
        await SourceRunner.Until(() => source.Counters.DeviceLost == 1 && !source.Connected, "the bus gone");
        _chip.Gone = false;
        await SourceRunner.Until(() => source.Counters.DeviceBack == 1, "the bus back", 30);
        var before = runner.Samples.Count;
        await SourceRunner.Until(() => runner.Samples.Count > before + 20, "samples again");

        // A power cycle puts the chip in standby with the FIFO bypassed: no samples, so it is set up again.
        _chip.Reset();
        await SourceRunner.Until(() => source.Counters.DeviceLost == 2, "no samples for a second after the reset", 30);
        await SourceRunner.Until(() => source.Counters.DeviceBack == 2 && _chip.Registers[0x38] == 0x90, "reconfigured", 30);
    }

    [Theory]
    [InlineData("adxl345", 1000, "s.device.sampleRateHertz: must be an ADXL345 output data rate: 3200, 1600, 800, 400, 200, 100, 50 or 25 (Hz), got 1000")]
    [InlineData("bme280", 100, "s.device.sampleRateHertz: FIFO streaming is available for adxl345 only; bme280 is polled (leave sampleRateHertz 0)")]
    public void Check_config_accepts_only_the_chips_output_data_rates(string driver, int rate, string expected)
    {
        var options = Options(rate);
        options.Device.Driver = driver;
        var errors = new List<ConfigError>();
        options.Validate("s", errors);
        errors.Select(e => e.ToString()).Should().Equal(expected);
        Adxl345Fifo.RateCode(3200).Should().Be(0x0f);
        Adxl345Fifo.RateCode(25).Should().Be(0x08);
    }
}
