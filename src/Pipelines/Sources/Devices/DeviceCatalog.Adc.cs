using System.Device.Spi;
using Iot.Device.Ads1115;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Analog-to-digital converters.</summary>
internal static partial class DeviceCatalog
{
    private static readonly InputMultiplexer[] s_adsInputs =
        [InputMultiplexer.AIN0, InputMultiplexer.AIN1, InputMultiplexer.AIN2, InputMultiplexer.AIN3, InputMultiplexer.AIN0_AIN1, InputMultiplexer.AIN2_AIN3];

    private static IEnumerable<DeviceDriverInfo> Adc() =>
    [
        new("ads1115", "TI ADS1115 16-bit ADC (±4.096 V range)", DeviceBusKind.I2c, Range(0x48, 0x4b),
            [new("ain0", "V", -4.096, 4.096), new("ain1", "V", -4.096, 4.096), new("ain2", "V", -4.096, 4.096), new("ain3", "V", -4.096, 4.096),
             new("ain0-ain1", "V", -4.096, 4.096), new("ain2-ain3", "V", -4.096, 4.096)],
            c => With(c.I2c(), bus =>
            {
                var chip = new Ads1115(bus, InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS128, DeviceMode.PowerDown);
                return new DeviceDriver((w, v) =>
                {
                    // One single-shot conversion per wanted input (about 8 ms each at 128 samples/s).
                    for (var i = 0; i < s_adsInputs.Length; i++)
                    {
                        v[i] = w[i] ? chip.ReadVoltage(s_adsInputs[i]).Volts : double.NaN;
                    }
                }, chip, bus);
            })),
        new("mcp3008", "Microchip MCP3008 10-bit 8-channel ADC over SPI (counts 0..1023 of Vref)", DeviceBusKind.Spi, [],
            [.. Enumerable.Range(0, 8).Select(i => new DeviceQuantity($"ch{i}", "counts", 0, 1023))],
            c => With(c.Spi(1_000_000, SpiMode.Mode0), bus =>
            {
                var chip = new Iot.Device.Adc.Mcp3008(bus);
                return new DeviceDriver((w, v) =>
                {
                    for (var i = 0; i < 8; i++)
                    {
                        v[i] = w[i] ? chip.Read(i) : double.NaN;
                    }
                }, chip, bus);
            })),
    ];
}
