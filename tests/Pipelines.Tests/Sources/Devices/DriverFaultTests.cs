using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices;

/// <summary>The faults of <see cref="DeviceSourceTests"/> (a chip that stops acknowledging, a bus that vanishes
/// mid-run, a chip that repeats itself) for the drivers whose set-up is longest: the BME680 (calibration, heater
/// profile) and the MPU-9250 (its magnetometer reached through the MPU's I2C master).</summary>
public sealed class DriverFaultTests
{
    private readonly EmulatedBus _bus = new();

    public static TheoryData<string> Drivers => ["bme680", "mpu9250"];

    private EmulatedI2cDevice AddChip(string driver)
    {
        if (driver == "bme680")
        {
            return _bus.Add(Bme680Chip.Create(500_000, 380_000, 22_000, 420, 5));
        }

        var mpu = new Mpu9250Chip();
        mpu.Mpu.Set(0x3b, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00);
        mpu.Magnetometer[0x10] = mpu.Magnetometer[0x11] = mpu.Magnetometer[0x12] = 0x80;
        mpu.SetField(100, 200, 300);
        return _bus.Add(mpu.Mpu);
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void A_chip_that_stops_acknowledging_mid_run_fails_the_read_as_io_and_is_set_up_again_when_it_answers(string driver)
    {
        var chip = AddChip(driver);
        var reading = new DeviceReading(_bus, driver).Open();
        reading.Read().Values.Should().OnlyContain(v => !double.IsNaN(v));

        chip.Nack = true;
        var read = () => reading.Read();
        read.Should().Throw<IOException>().WithMessage("*Error 121*");
        reading.Close();
        var open = () => reading.Open();
        open.Should().Throw<IOException>("the set-up talks to the chip, which still does not answer");

        chip.Nack = false;
        reading.Open().Read().Values.Should().OnlyContain(v => !double.IsNaN(v), "reopened: chip id, calibration and configuration again");
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void A_bus_that_vanishes_mid_run_fails_the_read_as_io_and_closing_releases_the_bus_device(string driver)
    {
        var chip = AddChip(driver);
        var reading = new DeviceReading(_bus, driver).Open();
        reading.Read();
        chip.Gone = true;
        var read = () => reading.Read();
        read.Should().Throw<IOException>().WithMessage("*Error 19*");
        reading.Close();
        chip.Disposed.Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(Drivers))]
    public void A_chip_that_repeats_itself_bit_for_bit_is_rejected_as_stuck_from_the_configured_count_on(string driver)
    {
        AddChip(driver);
        var reading = new DeviceReading(_bus, driver, new DeviceSourceOptions { StuckReadings = 3 }).Open();
        reading.Read().Values.Should().OnlyContain(v => !double.IsNaN(v));
        reading.Read().Values.Should().OnlyContain(v => !double.IsNaN(v));
        reading.Read().Values.Should().OnlyContain(v => double.IsNaN(v));
        reading.Context.Counters[BadInput.Stuck].Should().Be(1);
    }
}
