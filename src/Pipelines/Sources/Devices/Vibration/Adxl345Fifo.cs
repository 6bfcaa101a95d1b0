using System.Device.Spi;
using System.Globalization;

namespace EdgeAgent.Pipelines.Sources.Devices.Vibration;

/// <summary>
/// An ADXL345 over SPI set up for streaming (datasheet rev. G): full resolution ±16 g (DATA_FORMAT 0x31 = 0x0B,
/// 3.9 mg/LSB = 256 LSB/g), the output data rate in BW_RATE (0x2C), the FIFO in stream mode (FIFO_CTL 0x38 = 0x80 |
/// watermark), then measuring (POWER_CTL 0x2D = 0x08). A burst reads INT_SOURCE (0x30, bit 0 = overrun) and
/// FIFO_STATUS (0x39, entries in bits 5:0), then each entry with one 6-byte multi-byte read of DATAX0..DATAZ1
/// (0x32..0x37): the FIFO pops an entry when such a read ends (CS high), so entries cannot share a transaction; the
/// 5 µs the datasheet asks between the end of one and the next read is far below one spidev ioctl.
/// All buffers are allocated here once; a burst allocates nothing.
/// </summary>
internal sealed class Adxl345Fifo : IDisposable
{
    public const int Capacity = 33; // 32 in the FIFO and one in the output registers (FIFO_STATUS counts both)
    public const int Watermark = 16;
    public const double CountsPerG = 256;
    private const byte Read = 0x80;
    private const byte MultiByte = 0x40;

    private readonly SpiDevice _spi;
    private readonly byte[] _frameWrite = new byte[7];
    private readonly byte[] _frameRead = new byte[7];
    private readonly byte[] _registerWrite = new byte[2];
    private readonly byte[] _registerRead = new byte[2];

    public Adxl345Fifo(SpiDevice spi, int sampleRateHz)
    {
        _spi = spi;
        _frameWrite[0] = Read | MultiByte | 0x32;
        var id = ReadRegister(0x00);
        if (id != 0xe5)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"DEVID is 0x{id:x2}, not an ADXL345's 0xe5 (wiring, SPI mode 3, chip select?)"));
        }

        WriteRegister(0x2d, 0x00);                 // standby while configuring
        WriteRegister(0x2c, RateCode(sampleRateHz));
        WriteRegister(0x31, 0x0b);                 // FULL_RES, ±16 g
        WriteRegister(0x38, 0x00);                 // bypass: clears the FIFO
        WriteRegister(0x38, 0x80 | Watermark);     // stream mode
        WriteRegister(0x2d, 0x08);                 // measure
        if (ReadRegister(0x38) != (0x80 | Watermark) || ReadRegister(0x2c) != RateCode(sampleRateHz))
        {
            throw new IOException("the ADXL345 did not keep its FIFO and rate settings (a register read back differently)");
        }
    }

    /// <summary>The BW_RATE code of an output data rate: 3200 Hz is 0xF, each halving one less (datasheet table 7).</summary>
    public static byte RateCode(int sampleRateHz) => (byte)(0x0f - Math.Log2(3200.0 / sampleRateHz));

    /// <summary>Whether the chip has this output data rate: 3200 Hz halved 0 to 7 times (down to 25 Hz).</summary>
    public static bool IsRate(int sampleRateHz) => sampleRateHz is 3200 or 1600 or 800 or 400 or 200 or 100 or 50 or 25;

    /// <summary>Reads every entry the FIFO holds into <paramref name="frames"/> (6 bytes each, X Y Z little-endian, the
    /// layout <see cref="FifoBurstDecoder"/> reads); returns the number of frames and the overrun flag (samples were
    /// overwritten before this read). INT_SOURCE is read after FIFO_STATUS so that an overrun in between is seen;
    /// one during the reads is not (reading the FIFO clears the flag), which is why the caller also treats a full
    /// FIFO as a possible overrun.</summary>
    public int Burst(Span<byte> frames, out bool overrun)
    {
        var entries = Math.Min(ReadRegister(0x39) & 0x3f, frames.Length / FifoBurstDecoder.FrameBytes);
        overrun = (ReadRegister(0x30) & 0x01) != 0;
        for (var i = 0; i < entries; i++)
        {
            _spi.TransferFullDuplex(_frameWrite, _frameRead);
            _frameRead.AsSpan(1).CopyTo(frames.Slice(i * FifoBurstDecoder.FrameBytes, FifoBurstDecoder.FrameBytes));
        }

        return entries;
    }

    public void Dispose()
    {
        try
        {
            WriteRegister(0x2d, 0x00); // standby: stop measuring
        }
        catch (IOException)
        {
            // The bus is gone; there is nothing to stop.
        }

        _spi.Dispose();
    }

    private byte ReadRegister(byte register)
    {
        _registerWrite[0] = (byte)(Read | register);
        _registerWrite[1] = 0;
        _spi.TransferFullDuplex(_registerWrite, _registerRead);
        return _registerRead[1];
    }

    private void WriteRegister(byte register, int value)
    {
        _registerWrite[0] = register;
        _registerWrite[1] = (byte)value;
        _spi.TransferFullDuplex(_registerWrite, _registerRead);
    }
}
