using System.Device.Gpio;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Sources.Devices.LoadCell;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.LoadCell;

/// <summary>The hx711 driver (our bit-banged reader) against an emulated HX711 on GPIO lines that follows the
/// datasheet's serial protocol, including its power-down when the clock stays high past 60 µs.</summary>
public sealed class Hx711Tests
{
    private const int Dout = 5;
    private const int Sck = 6;
    private readonly EmulatedBus _bus = new();
    private readonly Hx711Chip _chip = new(Dout, Sck, TimeSpan.FromMilliseconds(2));

    public Hx711Tests() => _bus.GpioChip = _chip;

    private DeviceReading Open(Hx711Input input = Hx711Input.ChannelA128, double offset = 0, double perUnit = 1) =>
        new DeviceReading(_bus, "hx711", new DeviceSourceOptions { DataPin = Dout, ClockPin = Sck, Hx711Input = input, OffsetCounts = offset, CountsPerUnit = perUnit, LoadUnit = "g" }).Open();

    /// <summary>One poll, repeated while the machine's own scheduling tore a read (each such read is counted and
    /// retried by the driver, as on a real board): returns the first poll that delivered.</summary>
    private static Dictionary<string, double> ReadDelivered(DeviceReading reading)
    {
        for (var poll = 0; poll < 5; poll++)
        {
            var values = reading.Read();
            if (!double.IsNaN(values["raw"]))
            {
                return values;
            }
        }

        throw new InvalidOperationException("five polls in a row without a reading");
    }

    [Fact]
    public void Reads_the_24_bit_twos_complement_code_msb_first_and_scales_it_by_the_calibration()
    {
        // 250 g on a cell calibrated at 420 counts/g with 8,000 counts of tare.
        _chip.Codes[25] = 8000 + (420 * 250);
        var reading = Open(offset: 8000, perUnit: 420);
        _chip.Modes[Sck].Should().Be(PinMode.Output);
        _chip.Modes[Dout].Should().Be(PinMode.Input);

        var values = ReadDelivered(reading);
        values["raw"].Should().Be(113_000);
        values["load"].Should().BeApproximately(250, 1e-9);
        _chip.Conversions.Should().BeGreaterThan(Hx711Reader.SettlingConversions, "the conversions of the settling time after the power cycle are discarded");

        _chip.Codes[25] = 0xffff38; // -200 in 24-bit two's complement
        values = ReadDelivered(reading);
        values["raw"].Should().Be(-200);
        values["load"].Should().BeApproximately((-200 - 8000) / 420.0, 1e-9);
        _chip.ReadGains.Should().OnlyContain(g => g == 25, "25 pulses: channel A, gain 128");
    }

    [Theory]
    [InlineData(Hx711Input.ChannelA64, 27)]
    [InlineData(Hx711Input.ChannelB32, 26)]
    public void The_configured_input_is_selected_by_the_pulses_after_the_data_and_only_its_conversions_are_delivered(Hx711Input input, int pulses)
    {
        _chip.Codes[25] = 1111;
        _chip.Codes[pulses] = 2222;
        var reading = Open(input);
        ReadDelivered(reading)["raw"].Should().Be(2222, "the first conversion after reset is at A/128 and is discarded while settling");
        ReadDelivered(reading)["raw"].Should().Be(2222);
        _chip.ReadGains[0].Should().Be(25, "after the power cycle the chip starts at A/128");
        _chip.ReadGains[^1].Should().Be(pulses);
    }

    [Fact]
    public void A_clock_held_high_past_60_microseconds_powers_the_chip_down_and_the_torn_read_is_discarded_counted_and_retried()
    {
        _chip.Codes[25] = 1111;
        _chip.Codes[27] = 2222;
        var reading = Open(Hx711Input.ChannelA64);
        ReadDelivered(reading);
        var powerDowns = _chip.PowerDowns;

        _chip.StallOnPulse = (10, TimeSpan.FromMicroseconds(200));
        var garbage = reading.Context.Counters[BadInput.Garbage];
        var values = ReadDelivered(reading);

        // At least this one: this machine's own scheduling can hold the clock high past 60 µs too (it did in a run
        // here), which is the very hazard the check is for.
        _chip.PowerDowns.Should().BeGreaterThan(powerDowns, "the emulated chip powered down mid-read");
        reading.Context.Counters[BadInput.Garbage].Should().BeGreaterThan(garbage, "the torn read is counted");
        values["raw"].Should().Be(2222, "retried after the settling conversions; never the A/128 conversion the reset caused, nor the torn bits");
    }

    [Fact]
    public void A_saturated_input_is_rejected_as_implausible()
    {
        _chip.Codes[25] = 0x7fffff;
        var reading = Open();
        reading.Read()["raw"].Should().Be(double.NaN);
        reading.Context.Counters[BadInput.Implausible].Should().Be(1);
        _chip.Codes[25] = 0x800000;
        reading.Read()["load"].Should().Be(double.NaN);
        reading.Context.Counters[BadInput.Implausible].Should().Be(2);
    }

    [Fact]
    public void A_chip_that_never_signals_ready_fails_the_read_as_io_instead_of_waiting_forever()
    {
        _chip.Absent = true;
        var reading = Open();
        var read = () => reading.Read();
        read.Should().Throw<IOException>().WithMessage("*DOUT (line 5) stayed high for 1000 ms*");
    }

    [Fact]
    public void Check_config_wants_two_lines_a_calibration_that_divides_and_no_i2c_address()
    {
        var source = new SourceOptions
        {
            Type = SourceType.Device,
            Device = new DeviceSourceOptions { Driver = "hx711", DataPin = 6, ClockPin = 6, CountsPerUnit = 0, Address = "0x40" },
            Channels = [new SourceChannelOptions { Name = "load" }],
        };
        var errors = new List<ConfigError>();
        source.Validate("s", errors);
        errors.Select(e => e.ToString()).Should().BeEquivalentTo(
            "s.device.address: does not apply to hx711, which is on Gpio (use gpioChip, dataPin and clockPin)",
            "s.device.clockPin: must differ from dataPin (6): the HX711 needs two lines",
            "s.device.countsPerUnit: must be a finite number other than 0 (counts per counts), got 0");

        source.Device = new DeviceSourceOptions { Driver = "hx711", CountsPerUnit = 420, LoadUnit = "g" };
        errors.Clear();
        source.Validate("s", errors);
        errors.Should().BeEmpty();
        source.EffectiveChannels().Select(c => c.Unit).Should().Equal("g");
        source.Channels.Clear();
        source.EffectiveChannels().Select(c => (c.Name, c.Unit)).Should().Equal(("raw", "counts"), ("load", "g"));
    }
}
