using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.I2c;
using System.Device.Spi;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>
/// Opens the kernel's bus devices for the bindings. The bindings' own errors for a missing bus say "Error 2"; this
/// checks the device node first so that the log says which file is missing or not permitted and what to do about it.
/// Tests pass their emulated chips through the internal constructor.
/// </summary>
internal sealed class DeviceBuses
{
    private readonly Func<int, int, I2cDevice> _i2c;
    private readonly Func<SpiConnectionSettings, SpiDevice> _spi;
    private readonly Func<int, GpioController> _gpio;

    internal DeviceBuses(Func<int, int, I2cDevice> i2c, Func<SpiConnectionSettings, SpiDevice> spi, Func<int, GpioController> gpio)
    {
        _i2c = i2c;
        _spi = spi;
        _gpio = gpio;
    }

    public static DeviceBuses Kernel { get; } = new(OpenKernelI2c, OpenKernelSpi, OpenKernelGpio);

    public I2cDevice OpenI2c(int bus, int address) => _i2c(bus, address);

    public SpiDevice OpenSpi(SpiConnectionSettings settings) => _spi(settings);

    public GpioController OpenGpio(int chip) => _gpio(chip);

    private static I2cDevice OpenKernelI2c(int bus, int address)
    {
        CheckNode($"/dev/i2c-{bus}", "the I2C bus is not enabled (Raspberry Pi: dtparam=i2c_arm=on in config.txt) or the i2c-dev module is not loaded", "i2c");
        return I2cDevice.Create(new I2cConnectionSettings(bus, address));
    }

    private static SpiDevice OpenKernelSpi(SpiConnectionSettings settings)
    {
        CheckNode($"/dev/spidev{settings.BusId}.{settings.ChipSelectLine}", "SPI is not enabled (Raspberry Pi: dtparam=spi=on in config.txt) or this chip select does not exist", "spi");
        return SpiDevice.Create(settings);
    }

    /// <summary>The libgpiod character device (/dev/gpiochipN), never the deprecated sysfs GPIO interface that
    /// <see cref="GpioController"/>'s parameterless constructor falls back to.</summary>
    private static GpioController OpenKernelGpio(int chip)
    {
        CheckNode($"/dev/gpiochip{chip}", "this GPIO chip does not exist (see gpiodetect)", "gpio");
        try
        {
            return new GpioController(new LibGpiodDriver(chip));
        }
        catch (Exception e) when (e is PlatformNotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw new IOException($"/dev/gpiochip{chip}: libgpiod is not usable ({e.Message}); install libgpiod2 (apt-get install libgpiod2)", e);
        }
    }

    private static void CheckNode(string path, string missing, string group)
    {
        if (!File.Exists(path))
        {
            throw new IOException($"{path} does not exist: {missing}");
        }

        try
        {
            File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite).Dispose();
        }
        catch (UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"{path}: permission denied; add the agent's user to the '{group}' group");
        }
    }
}
