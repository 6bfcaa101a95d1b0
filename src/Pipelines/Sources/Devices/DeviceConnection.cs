using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>What a driver's open function gets: the chip's options and the buses to reach it through.</summary>
internal sealed class DeviceConnection
{
    private readonly DeviceBuses _buses;

    public DeviceConnection(DeviceSourceOptions options, int address, DeviceBuses buses)
    {
        Options = options;
        Address = address;
        _buses = buses;
    }

    public DeviceSourceOptions Options { get; }

    /// <summary>The chip's I2C address (resolved: the config's, or the driver's default).</summary>
    public int Address { get; }

    public I2cDevice I2c() => _buses.OpenI2c(Options.Bus, Address);

    /// <summary>Another chip on the same bus (the MPU-9250's magnetometer, the LSM9DS1's).</summary>
    public I2cDevice I2c(int address) => _buses.OpenI2c(Options.Bus, address);

    public SpiDevice Spi(int defaultClockHertz, SpiMode mode) =>
        _buses.OpenSpi(new SpiConnectionSettings(Options.Bus, Options.ChipSelect)
        {
            ClockFrequency = Options.SpiClockHertz > 0 ? Options.SpiClockHertz : defaultClockHertz,
            Mode = mode,
        });

    /// <summary>The GPIO chip a bit-banged chip's lines are on (the HX711's).</summary>
    public GpioController Gpio() => _buses.OpenGpio(Options.GpioChip);
}
