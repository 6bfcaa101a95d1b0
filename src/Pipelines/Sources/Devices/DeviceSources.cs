using System.Device.Spi;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources.Devices.Vibration;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>The <c>device</c> source kind: its channels, its validation and its construction.</summary>
internal static class DeviceSources
{
    /// <summary>The configured channels with the driver's units filled in, or every quantity the driver offers
    /// when the config lists none.</summary>
    public static IReadOnlyList<SourceChannelOptions> Channels(DeviceSourceOptions options, List<SourceChannelOptions> configured)
    {
        var driver = DeviceCatalog.Find(options.Driver);
        if (driver is null)
        {
            return configured.Count > 0 ? configured : [new SourceChannelOptions()];
        }

        if (configured.Count == 0)
        {
            return [.. driver.Quantities.Select(q => new SourceChannelOptions { Name = q.Name, Unit = UnitOf(q, options) })];
        }

        return [.. configured.Select(c => c.Unit.Length > 0 || driver.IndexOf(c.EffectiveField) < 0 ? c : new SourceChannelOptions
        {
            Name = c.Name,
            Unit = UnitOf(driver.Quantities[driver.IndexOf(c.EffectiveField)], options),
            Field = c.Field,
            Min = c.Min,
            Max = c.Max,
        })];
    }

    /// <summary>The driver whose chip can stream through its FIFO (sampleRateHertz).</summary>
    private const string FifoDriver = "adxl345";

    /// <summary>A quantity's unit: the catalog's, or the configured one where the calibration decides it (hx711 load).</summary>
    private static string UnitOf(DeviceQuantity quantity, DeviceSourceOptions options) => quantity.Unit.Length > 0 ? quantity.Unit : options.LoadUnit;

    public static void Validate(DeviceSourceOptions options, IReadOnlyList<SourceChannelOptions> channels, string sourcePath, ICollection<ConfigError> errors)
    {
        var path = ConfigPath.Child(sourcePath, "device");
        var driver = DeviceCatalog.Find(options.Driver);
        if (driver is null)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "driver"), options.Driver.Length == 0
                ? $"is required for a device source; known drivers: {DeviceCatalog.Names}"
                : $"'{options.Driver}' is not a known driver; known drivers: {DeviceCatalog.Names}"));
            return;
        }

        if (options.Address.Length > 0)
        {
            if (driver.Bus != DeviceBusKind.I2c)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "address"), driver.Bus == DeviceBusKind.Spi
                    ? $"does not apply to {driver.Name}, which is on Spi (use bus and chipSelect for SPI)"
                    : $"does not apply to {driver.Name}, which is on Gpio (use gpioChip, dataPin and clockPin)"));
            }
            else if (!DeviceAddress.TryParse(options.Address, out var address) || address is < 0x03 or > 0x77)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "address"), $"must be a 7-bit I2C address 0x03..0x77 (e.g. \"0x{driver.DefaultAddress:x2}\"), got '{options.Address}'"));
            }
            else if (Array.IndexOf(driver.Addresses, address) < 0)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "address"),
                    $"0x{address:x2} is not an address {driver.Name} can have; it answers at {string.Join(", ", driver.Addresses.Select(a => $"0x{a:x2}"))}"));
            }
        }

        if (options.StuckReadings == 1)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "stuckReadings"), "must be 0 (off) or at least 2: one reading cannot repeat"));
        }

        if (options.SampleRateHertz != 0)
        {
            if (driver.Name != FifoDriver)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "sampleRateHertz"), $"FIFO streaming is available for {FifoDriver} only; {driver.Name} is polled (leave sampleRateHertz 0)"));
            }
            else if (!Adxl345Fifo.IsRate(options.SampleRateHertz))
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "sampleRateHertz"), $"must be an ADXL345 output data rate: 3200, 1600, 800, 400, 200, 100, 50 or 25 (Hz), got {options.SampleRateHertz}"));
            }
        }

        if (driver.Bus == DeviceBusKind.Gpio)
        {
            if (options.DataPin == options.ClockPin)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "clockPin"), $"must differ from dataPin ({options.DataPin}): the HX711 needs two lines"));
            }

            if (!double.IsFinite(options.CountsPerUnit) || options.CountsPerUnit == 0)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "countsPerUnit"), $"must be a finite number other than 0 (counts per {options.LoadUnit}), got {options.CountsPerUnit}"));
            }

            if (!double.IsFinite(options.OffsetCounts))
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "offsetCounts"), "must be a finite number of counts"));
            }

            if (options.LoadUnit.Trim().Length == 0)
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "loadUnit"), "must name the unit countsPerUnit was calibrated in (e.g. g, kg, N)"));
            }
        }

        for (var i = 0; i < channels.Count; i++)
        {
            var field = channels[i].EffectiveField;
            if (driver.IndexOf(field) < 0)
            {
                errors.Add(new ConfigError(ConfigPath.Child(ConfigPath.Index(ConfigPath.Child(sourcePath, "channels"), i), channels[i].Field.Length > 0 ? "field" : "name"),
                    $"'{field}' is not a quantity of {driver.Name}; it offers {string.Join(", ", driver.Quantities.Select(q => q.Name))}"));
            }
        }
    }

    /// <summary>A polled source over the driver, or for adxl345 with sampleRateHertz set, the FIFO-streaming
    /// source of the vibration path.</summary>
    public static SampleSource Create(SourceOptions source, SourceContext context, TimeSpan interval, TimeSpan maxRetry, DeviceBuses? buses = null, TimeProvider? time = null)
    {
        var options = source.Device;
        var driver = DeviceCatalog.Find(options.Driver) ?? throw new InvalidOperationException($"unknown driver '{options.Driver}' passed validation");
        var quantities = context.Channels.Select(c => driver.IndexOf(c.EffectiveField)).ToArray();
        if (options.SampleRateHertz > 0 && driver.Name == FifoDriver)
        {
            var bus = buses ?? DeviceBuses.Kernel;
            var settings = new SpiConnectionSettings(options.Bus, options.ChipSelect)
            {
                ClockFrequency = options.SpiClockHertz > 0 ? options.SpiClockHertz : 5_000_000,
                Mode = SpiMode.Mode3,
            };
            return new FifoAccelerometerSource(context, () => bus.OpenSpi(settings), $"{driver.Name} FIFO on /dev/spidev{options.Bus}.{options.ChipSelect}",
                options.SampleRateHertz, quantities, maxRetry, time);
        }

        var session = new DeviceSession(driver, options, DeviceAddress.Resolve(options, driver), quantities, buses ?? DeviceBuses.Kernel);
        var channels = quantities.Select((q, i) => (PolledChannel)new DeviceChannel(session, q, reads: i == 0)).ToList();
        return new PolledSource(context, channels, interval, maxRetry, time);
    }
}
