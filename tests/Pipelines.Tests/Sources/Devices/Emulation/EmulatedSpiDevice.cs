using System.Device.Spi;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>A chip behind an emulated SPI bus: every transfer is full duplex (what is written and what comes back at
/// the same clocks); half-duplex calls are transfers with the other side ignored.</summary>
internal abstract class EmulatedSpiDevice : SpiDevice
{
    protected EmulatedSpiDevice(int bus = 0, int chipSelect = 0)
    {
        ConnectionSettings = new SpiConnectionSettings(bus, chipSelect);
    }

    public override SpiConnectionSettings ConnectionSettings { get; }

    public bool Gone { get; set; }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        Span<byte> zeros = stackalloc byte[buffer.Length];
        TransferFullDuplex(zeros, buffer);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Span<byte> ignored = stackalloc byte[buffer.Length];
        TransferFullDuplex(buffer, ignored);
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (Gone)
        {
            throw new IOException($"Error 19 performing SPI data transfer (no such device: /dev/spidev{ConnectionSettings.BusId}.{ConnectionSettings.ChipSelectLine})");
        }

        readBuffer.Clear();
        Transfer(writeBuffer, readBuffer);
    }

    protected abstract void Transfer(ReadOnlySpan<byte> written, Span<byte> read);
}

/// <summary>MCP3008 (datasheet 5.0, figure 6-1): after the start bit come SGL/DIFF and D2..D0, a sampling clock, a
/// null bit, then the ten result bits MSB first. Decoded bit by bit, so any alignment the driver uses works.</summary>
internal sealed class Mcp3008Chip : EmulatedSpiDevice
{
    public int[] Counts { get; } = new int[8];

    protected override void Transfer(ReadOnlySpan<byte> written, Span<byte> read)
    {
        var bits = written.Length * 8;
        var start = 0;
        while (start < bits && Bit(written, start) == 0)
        {
            start++;
        }

        if (start + 5 > bits)
        {
            return;
        }

        var single = Bit(written, start + 1) == 1;
        var channel = (Bit(written, start + 2) << 2) | (Bit(written, start + 3) << 1) | Bit(written, start + 4);
        if (!single)
        {
            throw new InvalidOperationException("differential inputs are not emulated");
        }

        var value = Counts[channel];
        for (var b = 0; b < 10 && start + 7 + b < bits; b++)
        {
            if (((value >> (9 - b)) & 1) == 1)
            {
                var at = start + 7 + b;
                read[at / 8] |= (byte)(0x80 >> (at % 8));
            }
        }
    }

    private static int Bit(ReadOnlySpan<byte> bytes, int index) => (bytes[index / 8] >> (7 - (index % 8))) & 1;
}

/// <summary>ADXL345 over SPI (datasheet figure 37/38): the first byte is the register with bit 7 = read and bit 6 =
/// multiple bytes; register values follow. DATAX0..DATAZ1 (0x32..0x37) are little-endian.</summary>
internal sealed class Adxl345Chip : EmulatedSpiDevice
{
    public byte[] Registers { get; } = new byte[64];

    public Adxl345Chip()
        : base(0, 0)
    {
        Registers[0x00] = 0xe5; // DEVID
    }

    public void SetAxes(short x, short y, short z)
    {
        BitConverter.TryWriteBytes(Registers.AsSpan(0x32), x);
        BitConverter.TryWriteBytes(Registers.AsSpan(0x34), y);
        BitConverter.TryWriteBytes(Registers.AsSpan(0x36), z);
    }

    protected override void Transfer(ReadOnlySpan<byte> written, Span<byte> read)
    {
        if (written.Length == 0)
        {
            return;
        }

        var register = written[0] & 0x3f;
        var reading = (written[0] & 0x80) != 0;
        for (var i = 1; i < written.Length; i++)
        {
            var at = (register + i - 1) & 0x3f;
            if (reading)
            {
                read[i] = Registers[at];
            }
            else
            {
                Registers[at] = written[i];
            }
        }
    }
}
