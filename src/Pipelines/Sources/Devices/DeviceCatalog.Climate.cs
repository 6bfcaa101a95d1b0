using Iot.Device.Bmxx80;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Temperature, humidity and pressure sensors.</summary>
internal static partial class DeviceCatalog
{
    private static IEnumerable<DeviceDriverInfo> Climate() =>
    [
        new("bme280", "Bosch BME280 temperature/humidity/pressure", DeviceBusKind.I2c, [0x76, 0x77],
            [Temperature(-40, 85), Pressure, Humidity],
            c => With(c.I2c(), bus =>
            {
                var chip = new Bme280(bus);
                return new DeviceDriver((_, v) =>
                {
                    var r = chip.Read();
                    v[0] = r.Temperature?.DegreesCelsius ?? double.NaN;
                    v[1] = r.Pressure?.Hectopascals ?? double.NaN;
                    v[2] = r.Humidity?.Percent ?? double.NaN;
                }, chip, bus);
            })),
        new("bmp280", "Bosch BMP280 temperature/pressure", DeviceBusKind.I2c, [0x76, 0x77],
            [Temperature(-40, 85), Pressure],
            c => With(c.I2c(), bus =>
            {
                var chip = new Bmp280(bus);
                return new DeviceDriver((_, v) =>
                {
                    var r = chip.Read();
                    v[0] = r.Temperature?.DegreesCelsius ?? double.NaN;
                    v[1] = r.Pressure?.Hectopascals ?? double.NaN;
                }, chip, bus);
            })),
        new("bme680", "Bosch BME680 temperature/humidity/pressure/gas resistance", DeviceBusKind.I2c, [0x76, 0x77],
            [Temperature(-40, 85), Pressure, Humidity, new("gasResistance", "Ω", 0, 1e9)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Bme680(bus);
                return new DeviceDriver((_, v) =>
                {
                    var r = chip.Read();
                    v[0] = r.Temperature?.DegreesCelsius ?? double.NaN;
                    v[1] = r.Pressure?.Hectopascals ?? double.NaN;
                    v[2] = r.Humidity?.Percent ?? double.NaN;
                    v[3] = r.GasResistance?.Ohms ?? double.NaN;
                }, chip, bus);
            })),
        new("sht3x", "Sensirion SHT30/31/35 temperature/humidity", DeviceBusKind.I2c, [0x44, 0x45],
            [Temperature(-40, 125), Humidity],
            c => With(c.I2c(), bus =>
            {
                var chip = new Iot.Device.Sht3x.Sht3x(bus, Iot.Device.Sht3x.Resolution.High);
                return new DeviceDriver((w, v) =>
                {
                    // Each property starts its own measurement; skip the one nobody reads.
                    v[0] = w[0] ? chip.Temperature.DegreesCelsius : double.NaN;
                    v[1] = w[1] ? chip.Humidity.Percent : double.NaN;
                }, chip, bus);
            })),
        new("sht4x", "Sensirion SHT40/41/45 temperature/humidity", DeviceBusKind.I2c, [0x44, 0x45, 0x46],
            [Temperature(-40, 125), Humidity],
            c => With(c.I2c(), bus =>
            {
                var chip = new Iot.Device.Sht4x.Sht4x(bus);
                return new DeviceDriver((_, v) =>
                {
                    var (humidity, temperature) = chip.ReadHumidityAndTemperature(Iot.Device.Sht4x.Sht4xRepeatability.High);
                    v[0] = temperature?.DegreesCelsius ?? double.NaN;
                    v[1] = humidity?.Percent ?? double.NaN;
                }, chip, bus);
            })),
        new("mcp9808", "Microchip MCP9808 temperature", DeviceBusKind.I2c, Range(0x18, 0x1f),
            [Temperature(-40, 125)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Iot.Device.Mcp9808.Mcp9808(bus);
                return new DeviceDriver((_, v) => v[0] = chip.Temperature.DegreesCelsius, chip, bus);
            })),
        new("lm75", "LM75 temperature", DeviceBusKind.I2c, Range(0x48, 0x4f),
            [Temperature(-55, 125)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Iot.Device.Lm75.Lm75(bus);
                return new DeviceDriver((_, v) => v[0] = chip.Temperature.DegreesCelsius, chip, bus);
            })),
    ];
}
