using Iot.Device.Adc;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Current/power monitors and load cells.</summary>
internal static partial class DeviceCatalog
{
    private static IEnumerable<DeviceDriverInfo> Power() =>
    [
        new("ina219", "TI INA219 bus voltage/current/power (shuntOhms, maxCurrentAmps)", DeviceBusKind.I2c, Range(0x40, 0x4f),
            [new("busVoltage", "V", 0, 32), new("shuntVoltage", "mV", -320, 320), new("current", "A", -100, 100), new("power", "W", 0, 3200)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Ina219(bus);
                // Datasheet section 8.5.1: Current_LSB = max expected current / 2^15; Cal = trunc(0.04096 / (Current_LSB x Rshunt)).
                var currentLsb = c.Options.MaxCurrentAmps / 32768;
                chip.SetCalibration((ushort)Math.Min(ushort.MaxValue, Math.Truncate(0.04096 / (currentLsb * c.Options.ShuntOhms))), (float)currentLsb);
                return new DeviceDriver((w, v) =>
                {
                    v[0] = w[0] ? chip.ReadBusVoltage().Volts : double.NaN;
                    v[1] = w[1] ? chip.ReadShuntVoltage().Millivolts : double.NaN;
                    v[2] = w[2] ? chip.ReadCurrent().Amperes : double.NaN;
                    v[3] = w[3] ? (double)chip.ReadPower().Watts : double.NaN;
                }, chip, bus);
            })),
    ];
}
