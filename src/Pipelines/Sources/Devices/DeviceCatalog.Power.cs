using EdgeAgent.Pipelines.Sources.Devices.LoadCell;
using Iot.Device.Adc;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Current/power monitors and load cells.</summary>
internal static partial class DeviceCatalog
{
    /// <summary>The hx711 quantity whose unit is the config's loadUnit.</summary>
    public const string LoadQuantity = "load";

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
        new("hx711", "Avia HX711 24-bit load-cell ADC on two GPIO lines (dataPin, clockPin; bit-banged, see Hx711Reader)", DeviceBusKind.Gpio, [],
            [new("raw", "counts", -Hx711Reader.Saturated, Hx711Reader.Saturated - 1), new(LoadQuantity, string.Empty, double.MinValue, double.MaxValue)],
            c => With(c.Gpio(), gpio =>
            {
                // 10 samples/s (RATE low) is a conversion every 100 ms; a second covers the settling after power-up.
                var chip = new Hx711Reader(gpio, c.Options.DataPin, c.Options.ClockPin, c.Options.Hx711Input, TimeSpan.FromSeconds(1));
                chip.Open();
                var offset = c.Options.OffsetCounts;
                var perUnit = c.Options.CountsPerUnit;
                return new DeviceDriver((context, _, v) =>
                {
                    for (var attempt = 0; attempt < Hx711Reader.Attempts; attempt++)
                    {
                        if (chip.TryRead(out var counts, out var problem))
                        {
                            v[0] = counts;
                            v[1] = (counts - offset) / perUnit;
                            return;
                        }

                        if (problem == Hx711Problem.Saturated)
                        {
                            context.Reject(BadInput.Implausible, $"hx711: input out of range (saturated code {counts}); check the load cell's wiring and the gain");
                            return;
                        }

                        context.Reject(BadInput.Garbage, $"hx711: read discarded ({problem}, clock high up to {chip.LastClockHighMicroseconds:0.#} µs; the chip powers down past 60 µs), attempt {attempt + 1} of {Hx711Reader.Attempts}");
                    }
                }, chip, gpio);
            })),
    ];
}
