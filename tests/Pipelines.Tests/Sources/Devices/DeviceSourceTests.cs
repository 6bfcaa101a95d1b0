using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices;

/// <summary>The device source as the pipeline runs it (a polled source over the real driver), with an emulated chip
/// that stops answering, repeats itself, reports nonsense, or whose bus disappears and comes back.</summary>
public sealed class DeviceSourceTests
{
    private readonly EmulatedBus _bus = new();

    private static SourceOptions Options(string driver, params string[] channels) => new()
    {
        Type = SourceType.Device,
        PollIntervalMilliseconds = 10,
        MaxRetrySeconds = 1,
        Device = new DeviceSourceOptions { Driver = driver },
        Channels = [.. channels.Select(c => new SourceChannelOptions { Name = c })],
    };

    private PolledSource Build(SourceOptions options)
    {
        var context = new SourceContext("p/" + options.Device.Driver, 0, options.EffectiveChannels(), NullLogger.Instance);
        return (PolledSource)DeviceSources.Create(options, context, TimeSpan.FromMilliseconds(options.PollIntervalMilliseconds), TimeSpan.FromSeconds(options.MaxRetrySeconds), _bus.Buses);
    }

    [Fact]
    public async Task Channels_carry_the_drivers_values_and_units_in_channel_order()
    {
        _bus.Add(BoschChips.Bme280(adcH: 30_000));
        var options = Options("bme280", "humidity", "temperature");
        options.EffectiveChannels().Select(c => c.Unit).Should().Equal("%RH", "°C");
        await using var runner = new SourceRunner(Build(options));
        await SourceRunner.Until(() => runner.Samples.Count >= 4, "two polls");
        var first = runner.Samples.Take(2).ToList();
        first.Select(s => s.Channel).Should().Equal(0, 1);
        first[1].Value.Should().BeApproximately(25.08, 0.005);
        first[0].TimestampTicks.Should().Be(first[1].TimestampTicks, "one poll reads the chip once for all channels");
    }

    [Fact]
    public void Without_channels_a_device_source_offers_every_quantity_of_its_driver()
    {
        Options("bme280").EffectiveChannels().Select(c => (c.Name, c.Unit)).Should().Equal(("temperature", "°C"), ("pressure", "hPa"), ("humidity", "%RH"));
    }

    [Fact]
    public async Task A_chip_that_stops_answering_is_retried_and_comes_back_counted_once()
    {
        var chip = _bus.Add(BoschChips.Bmp280());
        var source = Build(Options("bmp280", "temperature"));
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => runner.Samples.Count >= 2, "readings");

        chip.Nack = true;
        await SourceRunner.Until(() => source.Counters.ReadErrors >= 3, "failed retries while the chip does not answer");
        source.Connected.Should().BeFalse();
        source.Counters.DeviceLost.Should().Be(1, "an outage counts once however many retries it takes");

        chip.Nack = false;
        var before = runner.Samples.Count;
        await SourceRunner.Until(() => runner.Samples.Count > before + 1, "readings after the chip answered again", 30);
        source.Counters.DeviceBack.Should().Be(1);
        runner.Samples[^1].Value.Should().BeApproximately(25.08, 0.005, "the chip was set up again (chip id, calibration) on reopen");
    }

    [Fact]
    public async Task A_bus_that_vanishes_mid_run_and_one_missing_from_the_start_are_retried_until_they_appear()
    {
        var chip = _bus.Add(BoschChips.Bmp280());
        _bus.Missing = true;
        var source = Build(Options("bmp280", "pressure"));
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => _bus.Opens >= 2, "retries of a bus that is not there");
        source.Counters.DeviceLost.Should().Be(1);
        runner.Samples.Should().BeEmpty();

        _bus.Missing = false;
        await SourceRunner.Until(() => runner.Samples.Count >= 1, "readings once the bus appeared", 30);
        source.Counters.DeviceBack.Should().Be(1);

        chip.Gone = true;
        _bus.Missing = true;
        await SourceRunner.Until(() => source.Counters.DeviceLost >= 2, "the bus vanishing mid-run");
        source.Connected.Should().BeFalse();
        chip.Disposed.Should().BeTrue("the driver and its bus device are closed when the bus goes");
    }

    [Fact]
    public async Task A_stuck_chip_is_rejected_and_counted_and_readings_resume_when_it_changes()
    {
        var chip = _bus.Add(BoschChips.Bmp280());
        var options = Options("bmp280", "temperature", "pressure");
        options.Device.StuckReadings = 3;
        var source = Build(options);
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => source.Counters[BadInput.Stuck] >= 2, "stuck readings counted");
        await SourceRunner.Until(() => runner.Samples.Count >= 4, $"the first readings ({source.Counters.Samples} accepted, {source.Counters.TotalBad} rejected, {source.Counters.ReadErrors} read errors)");
        runner.Samples.Count.Should().Be(4, "the first two identical readings are accepted, from the third on they are stuck");

        BoschChips.SetRawTemperature(chip, 519888 + 160);
        await SourceRunner.Until(() => runner.Samples.Count >= 6, "a changed reading accepted");
        runner.Samples[^2].Value.Should().BeGreaterThan(25.08);
    }

    [Fact]
    public async Task A_value_outside_what_the_chip_can_report_is_rejected_as_implausible()
    {
        // adc_P = 0 is what a bus that reads all zeros gives: far above 1100 hPa after compensation.
        var chip = _bus.Add(BoschChips.Bmp280());
        BoschChips.SetRawPressure(chip, 0);
        var source = Build(Options("bmp280", "temperature", "pressure"));
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => source.Counters[BadInput.Implausible] >= 2 && runner.Samples.Count >= 2, "implausible pressure counted");
        runner.Samples.Should().OnlyContain(s => s.Channel == 0, "temperature is plausible and still delivered");
    }

    [Theory]
    [InlineData("bme281", null, "pipelines[0].sources[0].device.driver: 'bme281' is not a known driver; known drivers: bme280, bmp280,")]
    [InlineData("bme280", "0x48", "pipelines[0].sources[0].device.address: 0x48 is not an address bme280 can have; it answers at 0x76, 0x77")]
    [InlineData("bme280", "0x80", "pipelines[0].sources[0].device.address: must be a 7-bit I2C address 0x03..0x77 (e.g. \"0x76\"), got '0x80'")]
    [InlineData("bme280", "zz", "pipelines[0].sources[0].device.address: must be a 7-bit I2C address")]
    [InlineData("adxl345", "0x53", "pipelines[0].sources[0].device.address: does not apply to adxl345, which is on Spi")]
    public void Check_config_names_the_driver_and_address_mistakes(string driver, string? address, string expected)
    {
        var options = Options(driver, "temperature");
        options.Device.Address = address ?? string.Empty;
        var errors = new List<ConfigError>();
        options.Validate("pipelines[0].sources[0]", errors);
        errors.Select(e => e.ToString()).Should().ContainSingle(e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_config_lists_the_quantities_a_driver_offers_for_an_unknown_channel()
    {
        var options = Options("bme280", "temperature", "humidty");
        var errors = new List<ConfigError>();
        options.Validate("s", errors);
        errors.Select(e => e.ToString()).Should().Equal("s.channels[1].name: 'humidty' is not a quantity of bme280; it offers temperature, pressure, humidity");
        options.Device.Address = "0x77";
        options.Channels[1].Name = "humidity";
        errors.Clear();
        options.Validate("s", errors);
        errors.Should().BeEmpty();
    }
}
