using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices;

/// <summary>The 9-axis parts through their real drivers on emulated register maps, against their datasheets' scales.</summary>
public sealed class ImuDriverTests
{
    private readonly EmulatedBus _bus = new();

    [Fact]
    public void Bno055_reports_its_fused_data_in_the_datasheets_default_units()
    {
        // Datasheet 3.6.4: with UNIT_SEL = 0, 1 m/s² = 100 LSB, 1 °/s = 16 LSB, 1 µT = 16 LSB, 1° = 16 LSB, 1 °C = 1 LSB.
        var chip = _bus.Add(new ByteRegisterChip(0x28));
        chip.Set(0x00, 0xa0, 0xfb, 0x32, 0x0f); // CHIP_ID, ACC_ID, MAG_ID, GYR_ID
        chip.SetInt16LittleEndian(0x08, 981);   // accel X: 9.81 m/s²
        chip.SetInt16LittleEndian(0x0e, -160);  // mag X: -10 µT
        chip.SetInt16LittleEndian(0x14, 32);    // gyro X: 2 °/s
        chip.SetInt16LittleEndian(0x1a, 1440);  // heading 90°
        chip.SetInt16LittleEndian(0x1c, -160);  // roll -10°
        chip.SetInt16LittleEndian(0x1e, 80);    // pitch 5°
        chip.Set(0x34, 23);                     // 23 °C
        chip.Written = (register, value) =>
        {
            if (register == 0x3f && (value & 0x20) != 0)
            {
                chip.Registers[0x3f] = 0; // reset done
            }
        };
        var values = new DeviceReading(_bus, "bno055").Open().Read();
        values["accelX"].Should().BeApproximately(9.81 / 9.80665, 1e-6);
        values["magX"].Should().BeApproximately(-10, 1e-6);
        values["gyroX"].Should().BeApproximately(2, 1e-6);
        values["heading"].Should().BeApproximately(90, 1e-6);
        values["roll"].Should().BeApproximately(-10, 1e-6);
        values["pitch"].Should().BeApproximately(5, 1e-6);
        values["temperature"].Should().Be(23);
    }

    [Fact]
    public void Lsm9ds1_scales_acceleration_rotation_and_field_by_the_datasheets_sensitivities()
    {
        // Datasheet table 3: ±16 g 0.732 mg/LSB, ±2000 °/s 70 mdps/LSB, ±16 gauss 0.58 mgauss/LSB.
        var ag = _bus.Add(new ByteRegisterChip(0x6b));
        ag.Set(0x0f, 0x68);
        // The driver sets bit 7 of the register address (multi-byte read), so the data sits at reg | 0x80.
        ag.SetInt16LittleEndian(0xa8, 1366);  // 1366 x 0.732 mg = 1.000 g
        ag.SetInt16LittleEndian(0x98, -1000); // -70 °/s
        var mag = _bus.Add(new ByteRegisterChip(0x1e));
        mag.Set(0x0f, 0x3d);
        mag.SetInt16LittleEndian(0x28, 1000); // 0.58 gauss = 58 µT
        mag.SetInt16LittleEndian(0xa8, 1000); // the same, for a driver that sets the sub-address auto-increment bit
        var values = new DeviceReading(_bus, "lsm9ds1").Open().Read();
        values["accelX"].Should().BeApproximately(1366 * 0.000732, 1e-6);
        values["gyroX"].Should().BeApproximately(-70, 1e-4);
        values["magX"].Should().BeApproximately(58, 1e-4);
    }

    [Fact]
    public void Mpu9250_reads_its_magnetometer_through_the_i2c_master_adjusted_by_the_fuse_rom_on_every_poll()
    {
        // Register map: ±2 g = 16,384 LSB/g, ±250 °/s = 131 LSB/(°/s); product specification: 333.87 LSB/°C, 21 °C at
        // TEMP_OUT = 0. AK8963 datasheet: 16-bit output 0.15 µT/LSB; Hadj = H x ((ASA - 128) x 0.5 / 128 + 1).
        var chip = new Mpu9250Chip();
        _bus.Add(chip.Mpu);
        chip.Mpu.Set(0x3b, 0x00, 0x00, 0xc0, 0x00, 0x40, 0x00); // 0, -1 g, +1 g
        chip.Mpu.Set(0x41, 0x0d, 0x0b);                         // TEMP_OUT 3339: 31.0 °C
        chip.Mpu.Set(0x43, 0x00, 0x83, 0x00, 0x00, 0xff, 0x7d); // +131, 0, -131
        chip.Magnetometer[0x10] = 0xb0;                          // ASAX 176: x 1.1875
        chip.Magnetometer[0x11] = 0x80;                          // ASAY 128: x 1
        chip.Magnetometer[0x12] = 0x40;                          // ASAZ 64: x 0.75
        chip.SetField(1000, -2000, 400);
        var reading = new DeviceReading(_bus, "mpu9250").Open();
        var values = reading.Read();
        values["accelY"].Should().BeApproximately(-1, 1e-4);
        values["accelZ"].Should().BeApproximately(1, 1e-4);
        values["gyroX"].Should().BeApproximately(1, 1e-3);
        values["gyroZ"].Should().BeApproximately(-1, 1e-3);
        values["temperature"].Should().BeApproximately((3339 / 333.87) + 21, 1e-9);

        // The magnetometer's axes are the accelerometer's Y, X, -Z (register map, figure of the axes): the driver
        // turns them into the accelerometer's frame. 0.15 µT is the datasheet's; the driver's 4912 / 32760 is 0.04 % less.
        values["magX"].Should().BeApproximately(-2000 * 0.15 * 1.0, 0.2);
        values["magY"].Should().BeApproximately(1000 * 0.15 * 1.1875, 0.1);
        values["magZ"].Should().BeApproximately(-400 * 0.15 * 0.75, 0.05);
        chip.MagnetometerMode.Should().Be(0b0110, "continuous 100 Hz, so a measurement is ready at every poll");
        (chip.Magnetometer[0x0a] & 0x10).Should().Be(0x10, "16-bit output");

        chip.SetField(0, 500, 0);
        reading.Read()["magX"].Should().BeApproximately(500 * 0.15, 0.05, "the second poll reads a new measurement, not a timeout");
        chip.Measurements.Should().BeGreaterThanOrEqualTo(2);
    }
}
