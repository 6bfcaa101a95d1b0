using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Sources.Devices.LoadCell;

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

    [Description("adxl345: stream through the chip's FIFO at this output data rate (3200, 1600, 800, 400, 200, 100, 50 or 25 Hz), every sample stamped by the sample clock: the vibration path. 0: polled at pollIntervalMilliseconds.")]
    [Range(0, 3200)]
    public int SampleRateHertz { get; set; }

    [Description("hx711: the GPIO chip (/dev/gpiochipN) its two lines are on.")]
    [Range(0, 63)]
    public int GpioChip { get; set; }

    [Description("hx711: the DOUT line (offset on gpioChip; the BCM number on a Raspberry Pi).")]
    [Range(0, 1023)]
    public int DataPin { get; set; } = 5;

    [Description("hx711: the PD_SCK line (offset on gpioChip).")]
    [Range(0, 1023)]
    public int ClockPin { get; set; } = 6;

    [Description("hx711: input and gain: channelA128 (±20 mV, a load cell), channelA64 (±40 mV) or channelB32 (±80 mV).")]
    public Hx711Input Hx711Input { get; set; } = Hx711Input.ChannelA128;

    [Description("hx711: raw counts with no load (tare), subtracted before scaling; the load channel is (counts - offsetCounts) / countsPerUnit.")]
    public double OffsetCounts { get; set; }

    [Description("hx711: counts per unit of load (from a calibration with a known weight: (counts with it - offsetCounts) / its weight). 1: the load channel is in counts.")]
    public double CountsPerUnit { get; set; } = 1;

    [Description("hx711: the load channel's unit, e.g. g, kg or N (what countsPerUnit was calibrated in).")]
    public string LoadUnit { get; set; } = "counts";

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
