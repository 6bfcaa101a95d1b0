using System.Device.I2c;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>
/// A chip behind an emulated I2C bus, driven by the real Iot.Device.Bindings driver. Faults are switched on to see
/// what the source does: <see cref="Nack"/> (the chip does not acknowledge, the kernel's EREMOTEIO) and
/// <see cref="Gone"/> (the adapter vanished, ENODEV), both reported as <see cref="IOException"/> as the kernel
/// driver's transfers report them.
/// </summary>
internal abstract class EmulatedI2cDevice : I2cDevice
{
    protected EmulatedI2cDevice(int address, int bus = 1)
    {
        ConnectionSettings = new I2cConnectionSettings(bus, address);
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    public bool Nack { get; set; }

    public bool Gone { get; set; }

    public bool Disposed { get; private set; }

    public int Transfers { get; private set; }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        Check();
        OnRead(buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check();
        OnWrite(buffer);
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    protected abstract void OnWrite(ReadOnlySpan<byte> data);

    protected abstract void OnRead(Span<byte> data);

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }

    private void Check()
    {
        Transfers++;
        if (Gone)
        {
            throw new IOException($"Error 19 performing I2C data transfer (no such device: /dev/i2c-{ConnectionSettings.BusId})");
        }

        if (Nack)
        {
            throw new IOException($"Error 121 performing I2C data transfer (remote I/O error: nothing answered at 0x{ConnectionSettings.DeviceAddress:x2})");
        }
    }
}
