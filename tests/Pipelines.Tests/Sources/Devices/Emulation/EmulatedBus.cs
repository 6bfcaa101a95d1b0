using System.Device.Gpio;
using System.Device.I2c;
using System.Device.Spi;
using EdgeAgent.Pipelines.Sources.Devices;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>The buses a test's chips sit on, handed to the device source in place of the kernel's. While
/// <see cref="Missing"/> is set, opening fails as it does when /dev/i2c-N is absent.</summary>
internal sealed class EmulatedBus
{
    private readonly Dictionary<int, I2cDevice> _i2c = [];

    public SpiDevice? Spi { get; set; }

    public EmulatedGpioDriver? Gpio { get; set; }

    /// <summary>A chip on GPIO lines with a protocol of its own (the HX711), used when <see cref="Gpio"/> is not set.</summary>
    public GpioDriver? GpioChip { get; set; }

    public bool Missing { get; set; }

    public int Opens { get; private set; }

    public T Add<T>(T chip)
        where T : I2cDevice
    {
        _i2c[chip.ConnectionSettings.DeviceAddress] = chip;
        return chip;
    }

    public DeviceBuses Buses => new(OpenI2c, OpenSpi, OpenGpio);

    private GpioController OpenGpio(int chip)
    {
        Opens++;
        GpioDriver? driver = Gpio is not null ? Gpio : GpioChip;
        return Missing || driver is null ? throw new IOException($"/dev/gpiochip{chip} does not exist: emulated chip removed") : new GpioController(driver);
    }

    private I2cDevice OpenI2c(int bus, int address)
    {
        Opens++;
        if (Missing)
        {
            throw new IOException($"/dev/i2c-{bus} does not exist: emulated bus removed");
        }

        // A chip that is not there is what the kernel reports on the first transfer: a NACK.
        return _i2c.TryGetValue(address, out var chip) ? chip : new AbsentChip(address);
    }

    private SpiDevice OpenSpi(SpiConnectionSettings settings)
    {
        Opens++;
        return Missing || Spi is null
            ? throw new IOException($"/dev/spidev{settings.BusId}.{settings.ChipSelectLine} does not exist: emulated bus removed")
            : Spi;
    }

    private sealed class AbsentChip : EmulatedI2cDevice
    {
        public AbsentChip(int address)
            : base(address)
        {
            Nack = true;
        }

        protected override void OnWrite(ReadOnlySpan<byte> data)
        {
        }

        protected override void OnRead(Span<byte> data)
        {
        }
    }
}
