using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices;

/// <summary>ADCs, current monitors and motion sensors through their real drivers on emulated buses, checked against
/// the conversions their datasheets give.</summary>
public sealed class MoreDriverTests
{
    private readonly EmulatedBus _bus = new();

    [Fact]
    public void Ads1115_converts_each_input_at_125_microvolts_per_count_on_the_4096_range()
    {
        // Datasheet table 3: FS = ±4.096 V, LSB = 125 µV; MUX[14:12] 100..111 = AINx vs GND, 000 = AIN0-AIN1, 011 = AIN2-AIN3.
        var chip = _bus.Add(new WordRegisterChip(0x48));
        var codes = new Dictionary<int, ushort> { [0b100] = 0x4000, [0b101] = 0x7fff, [0b110] = 0x0001, [0b111] = 0, [0b000] = 0xc000, [0b011] = 0x0008 };
        chip.Registers[0x01] = 0x8583;
        chip.Written = (register, value) =>
        {
            if (register == 0x01)
            {
                // A single-shot conversion completes at once: OS reads back 1, the result is in register 0.
                chip.Registers[0x01] = (ushort)(value | 0x8000);
                chip.Registers[0x00] = codes[(value >> 12) & 0b111];
            }
        };
        var values = new DeviceReading(_bus, "ads1115").Open().Read();
        values["ain0"].Should().BeApproximately(2.048, 1e-9);
        values["ain1"].Should().BeApproximately(4.095875, 1e-9);
        values["ain2"].Should().BeApproximately(0.000125, 1e-9);
        values["ain3"].Should().Be(0);
        values["ain0-ain1"].Should().BeApproximately(-2.048, 1e-9);
        values["ain2-ain3"].Should().BeApproximately(0.001, 1e-9);
    }

    [Fact]
    public void Ina219_reads_bus_and_shunt_voltage_and_current_and_power_from_the_calibration_it_writes()
    {
        // Datasheet 8.5: bus voltage LSB 4 mV in bits 15..3; shunt LSB 10 µV; Current = Shunt x Cal / 4096;
        // Power = Current x Bus / 5000; Current_LSB = maxCurrent / 2^15, Power_LSB = 20 x Current_LSB.
        var chip = _bus.Add(new WordRegisterChip(0x40));
        chip.Registers[0x00] = 0x399f;
        chip.Registers[0x02] = 3000 << 3; // 12.000 V
        chip.Registers[0x01] = 4000;      // 40.00 mV across 0.1 Ω: 0.4 A
        chip.Written = (register, value) =>
        {
            if (register == 0x00 && (value & 0x8000) != 0)
            {
                chip.Registers[0x00] = 0x399f; // reset
            }

            if (register == 0x05)
            {
                chip.Registers[0x04] = (ushort)(chip.Registers[0x01] * value / 4096);
                chip.Registers[0x03] = (ushort)(chip.Registers[0x04] * (chip.Registers[0x02] >> 3) / 5000);
            }
        };
        var values = new DeviceReading(_bus, "ina219", new DeviceSourceOptions { ShuntOhms = 0.1, MaxCurrentAmps = 3.2 }).Open().Read();
        values["busVoltage"].Should().BeApproximately(12.0, 1e-9);
        values["shuntVoltage"].Should().BeApproximately(40.0, 1e-9);
        chip.Registers[0x05].Should().Be(4194, "trunc(0.04096 / (3.2 / 32768 x 0.1))");
        values["current"].Should().BeApproximately(0.4, 1.01 * 3.2 / 32768, "within one current LSB of V/R (the register truncates: 4095 LSB)");
        values["power"].Should().BeApproximately(4.8, 20 * 3.2 / 32768, "within one power LSB of V x I");
    }

    [Fact]
    public void Mcp3008_reads_each_single_ended_channel_over_spi()
    {
        var chip = new Mcp3008Chip();
        chip.Counts[0] = 0;
        chip.Counts[3] = 512;
        chip.Counts[7] = 1023;
        _bus.Spi = chip;
        var values = new DeviceReading(_bus, "mcp3008", null, "ch0", "ch3", "ch7").Open().Read();
        values.Should().Equal(new Dictionary<string, double> { ["ch0"] = 0, ["ch3"] = 512, ["ch7"] = 1023 });
    }

    [Fact]
    public void Adxl345_reports_acceleration_in_g_from_its_data_registers_over_spi()
    {
        // Datasheet table 1: in 10-bit mode (FULL_RES clear) at ±16 g, 31.2 mg/LSB: 32 counts is 1 g.
        var chip = new Adxl345Chip();
        chip.SetAxes(0, -32, 32);
        _bus.Spi = chip;
        var values = new DeviceReading(_bus, "adxl345").Open().Read();
        (chip.Registers[0x31] & 0b11).Should().Be(0b11, "DATA_FORMAT range ±16 g");
        (chip.Registers[0x31] & 0x08).Should().Be(0, "10-bit mode");
        values["accelX"].Should().Be(0);
        values["accelY"].Should().BeApproximately(-1, 1e-9);
        values["accelZ"].Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Mpu6050_reports_acceleration_in_g_rotation_in_degrees_per_second_and_its_temperature()
    {
        // Register map rev 4.2: ±2 g = 16,384 LSB/g, ±250 °/s = 131 LSB/(°/s), T = TEMP_OUT / 340 + 36.53.
        var chip = _bus.Add(new ByteRegisterChip(0x68));
        chip.Set(0x75, 0x68); // WHO_AM_I
        chip.Written = (register, value) =>
        {
            if (register == 0x6b && (value & 0x80) != 0)
            {
                chip.Registers[0x6b] = (byte)(value & 0x7f); // the reset bit clears itself
            }
        };
        chip.Set(0x3b, 0x00, 0x00, 0xc0, 0x00, 0x40, 0x00); // 0, -1 g, +1 g at ±2 g
        chip.Set(0x41, 0x00, 0x00); // 36.53 °C
        chip.Set(0x43, 0x00, 0x83, 0x00, 0x00, 0xff, 0x7d); // +131, 0, -131
        var reading = new DeviceReading(_bus, "mpu6050").Open();
        var values = reading.Read();
        values["temperature"].Should().BeApproximately(36.53, 1e-6);
        // The driver scales by 9.8 m/s² per g and the source divides by standard gravity: 2e-5 g apart.
        values["accelX"].Should().Be(0);
        values["accelZ"].Should().BeApproximately(1, 1e-4);
        values["accelY"].Should().BeApproximately(-1, 1e-4);
        // The driver scales by 250 / 32,768 (131.07 LSB per °/s) where the datasheet says 131: 0.05 % apart.
        values["gyroX"].Should().BeApproximately(1, 1e-3);
        values["gyroZ"].Should().BeApproximately(-1, 1e-3);
    }
}
