using System.Device.Spi;
using System.Numerics;
using Iot.Device.Imu;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Accelerometers and IMUs. Acceleration is in g throughout, angular rate in °/s, magnetic field in µT.</summary>
internal static partial class DeviceCatalog
{
    private const double StandardGravity = 9.80665;

    // The LSM9DS1 binding divides by 32,768 / full scale; the datasheet's sensitivities (table 3) at the ranges used
    // here are larger (±16 g: 0.732 mg/LSB, not 0.488; ±16 gauss: 0.58 mgauss/LSB, not 0.488), so the binding reads
    // 33% and 16% low; these factors restore the datasheet's values. Its angular rate at ±2000 °/s is scaled by yet
    // another divisor, so that one is read from the registers (OUT_X_G, 0x18) at the datasheet's 70 mdps/LSB.
    private const double Lsm9Ds1AccelCorrection = 0.732e-3 * 32768 / 16;
    private const double Lsm9Ds1MagCorrection = 0.58e-3 * 32768 / 16;
    private const double Lsm9Ds1DegreesPerSecondPerCount = 70e-3;

    private static IEnumerable<DeviceDriverInfo> Motion() =>
    [
        new("mpu6050", "InvenSense MPU-6050 accelerometer/gyroscope", DeviceBusKind.I2c, [0x68, 0x69],
            [.. Axes("accel", "g", 16), .. Axes("gyro", "°/s", 2000), Temperature(-40, 85)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Mpu6050(bus);
                return new DeviceDriver((w, v) =>
                {
                    Put(v, 0, chip.GetAccelerometer(), 1 / StandardGravity);
                    Put(v, 3, chip.GetGyroscopeReading(), 1);
                    v[6] = w[6] ? MpuTemperature(bus, 340, 36.53) : double.NaN;
                }, chip, bus);
            })),
        new("mpu9250", "InvenSense MPU-9250 accelerometer/gyroscope/magnetometer (AK8963 through the MPU's I2C master)", DeviceBusKind.I2c, [0x68, 0x69],
            [.. Axes("accel", "g", 16), .. Axes("gyro", "°/s", 2000), .. Axes("mag", "µT", 4912), Temperature(-40, 85)],
            c => With(c.I2c(), bus =>
            {
                // The AK8963 sits on the MPU's auxiliary bus: after the reset the binding does, it is reachable only
                // through the MPU's I2C master (bypass is off), which is what the binding uses without a second device.
                var chip = new Mpu9250(bus, shouldDispose: false);

                // The binding leaves the AK8963 in single-measurement mode, which powers down after one measurement:
                // every read after the first would wait for data that never comes. Continuous 100 Hz mode keeps a fresh
                // measurement ready. CalibrateMagnetometer(0) reads the fuse ROM sensitivity adjustment (ASA, datasheet
                // 8.3.11) with no bias sampling; without it the field is read unadjusted (ASA is ±50 % per axis).
                chip.MagnetometerOutputBitMode = Iot.Device.Magnetometer.OutputBitMode.Output16bit;
                chip.CalibrateMagnetometer(0);
                return new DeviceDriver((w, v) =>
                {
                    Put(v, 0, chip.GetAccelerometer(), 1 / StandardGravity);
                    Put(v, 3, chip.GetGyroscopeReading(), 1);
                    if (w[6] || w[7] || w[8])
                    {
                        Put(v, 6, chip.ReadMagnetometer(true), 1);
                    }

                    v[9] = w[9] ? MpuTemperature(bus, 333.87, 21) : double.NaN;
                }, chip, bus);
            })),
        new("adxl345", "Analog Devices ADXL345 accelerometer over SPI (±16 g)", DeviceBusKind.Spi, [],
            [.. Axes("accel", "g", 16)],
            c => With(c.Spi(5_000_000, SpiMode.Mode3), bus =>
            {
                var chip = new Iot.Device.Adxl345.Adxl345(bus, Iot.Device.Adxl345.GravityRange.Range16);
                return new DeviceDriver((_, v) => Put(v, 0, chip.Acceleration, 1), chip, bus);
            })),
        new("lsm9ds1", "ST LSM9DS1 accelerometer/gyroscope (0x6a/0x6b) and magnetometer (0x1c/0x1e)", DeviceBusKind.I2c, [0x6b, 0x6a],
            [.. Axes("accel", "g", 16), .. Axes("gyro", "°/s", 2000), .. Axes("mag", "µT", 1600)],
            c => With(c.I2c(), bus => With(c.I2c(c.Address == 0x6a ? 0x1c : 0x1e), magBus =>
            {
                var chip = new Iot.Device.Lsm9Ds1.Lsm9Ds1AccelerometerAndGyroscope(bus, Iot.Device.Lsm9Ds1.AccelerationScale.Scale16G, Iot.Device.Lsm9Ds1.AngularRateScale.Scale2000Dps);
                var magnetometer = new Iot.Device.Lsm9Ds1.Lsm9Ds1Magnetometer(magBus, Iot.Device.Lsm9Ds1.MagneticInductionScale.Scale16G);
                return new DeviceDriver((w, v) =>
                {
                    Put(v, 0, chip.Acceleration, Lsm9Ds1AccelCorrection);
                    if (w[3] || w[4] || w[5])
                    {
                        Lsm9Ds1AngularRate(bus, v[3..]);
                    }
                    if (w[6] || w[7] || w[8])
                    {
                        Put(v, 6, magnetometer.MagneticInduction, 100 * Lsm9Ds1MagCorrection); // gauss -> µT
                    }
                }, chip, magnetometer, magBus, bus);
            }))),
        new("bno055", "Bosch BNO055 9-axis IMU with sensor fusion", DeviceBusKind.I2c, [0x28, 0x29],
            [.. Axes("accel", "g", 16), .. Axes("gyro", "°/s", 2000), .. Axes("mag", "µT", 2500),
             new("heading", "°", 0, 360), new("roll", "°", -180, 180), new("pitch", "°", -180, 180), Temperature(-40, 85)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Iot.Device.Bno055.Bno055Sensor(bus);
                return new DeviceDriver((w, v) =>
                {
                    Put(v, 0, chip.Accelerometer, 1 / StandardGravity);
                    Put(v, 3, chip.Gyroscope, 1);
                    Put(v, 6, chip.Magnetometer, 1);
                    if (w[9] || w[10] || w[11])
                    {
                        var euler = chip.Orientation;
                        v[9] = euler.X;
                        v[10] = euler.Y;
                        v[11] = euler.Z;
                    }

                    v[12] = w[12] ? chip.Temperature.DegreesCelsius : double.NaN;
                }, chip, bus);
            })),
    ];

    /// <summary>
    /// TEMP_OUT (0x41) by each part's own formula: MPU-6050 register map rev 4.2, 4.18: TEMP_OUT / 340 + 36.53;
    /// MPU-9250 register map, TEMP_OUT (registers 65-66), with the product specification's 333.87 LSB/°C and 21 °C at TEMP_OUT = 0.
    /// The binding's GetTemperature applies the MPU-9250's formula to both, and subtracts 21 counts, not 21 °C, from
    /// TEMP_OUT: 15.6 °C low on an MPU-6050, 0.063 °C low on an MPU-9250.
    /// </summary>
    private static double MpuTemperature(System.Device.I2c.I2cDevice bus, double countsPerDegree, double degreesAtZero)
    {
        Span<byte> raw = stackalloc byte[2];
        bus.WriteRead([0x41], raw);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(raw) / countsPerDegree) + degreesAtZero;
    }

    private static void Lsm9Ds1AngularRate(System.Device.I2c.I2cDevice bus, Span<double> xyz)
    {
        Span<byte> raw = stackalloc byte[6];
        bus.WriteRead([0x18 | 0x80], raw);
        for (var axis = 0; axis < 3; axis++)
        {
            xyz[axis] = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(raw[(axis * 2)..]) * Lsm9Ds1DegreesPerSecondPerCount;
        }
    }

    private static void Put(Span<double> values, int first, Vector3 vector, double scale)
    {
        values[first] = vector.X * scale;
        values[first + 1] = vector.Y * scale;
        values[first + 2] = vector.Z * scale;
    }
}
