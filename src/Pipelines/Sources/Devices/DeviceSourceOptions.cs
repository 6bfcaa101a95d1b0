using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>type device: a chip driven by its Iot.Device.Bindings driver; channels name the quantities it reads.</summary>
public sealed class DeviceSourceOptions
{
    [Description("Driver name, e.g. bme280 (check-config lists the known ones).")]
    public string Driver { get; set; } = string.Empty;

    [Description("I2C bus (/dev/i2c-N) or SPI bus (/dev/spidevN.chipSelect).")]
    [Range(0, 255)]
    public int Bus { get; set; } = 1;

    [Description("I2C address, e.g. \"0x76\" or \"118\". Empty: the driver's default.")]
    public string Address { get; set; } = string.Empty;

    [Description("SPI chip select line (the M of /dev/spidevN.M).")]
    [Range(0, 15)]
    public int ChipSelect { get; set; }

    [Description("SPI clock in Hz. 0: the driver's default.")]
    [Range(0, 100_000_000)]
    public int SpiClockHertz { get; set; }

    [Description("ina219: the shunt resistor in ohms.")]
    [Range(0.0001, 100)]
    public double ShuntOhms { get; set; } = 0.1;

    [Description("ina219: the largest current expected, in amperes (sets the current resolution).")]
    [Range(0.001, 100)]
    public double MaxCurrentAmps { get; set; } = 3.2;

    [Description("A reading that repeats bit for bit this many times in a row is taken as a stuck chip or bus and rejected (counted as stuck). 0: off (a quiet ADC input can legitimately repeat).")]
    [Range(0, 1_000_000)]
    public int StuckReadings { get; set; }
}
