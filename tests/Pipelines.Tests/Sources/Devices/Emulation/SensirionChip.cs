namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>
/// A Sensirion SHT3x/SHT4x: commands in, six bytes out (temperature word, CRC, humidity word, CRC). The CRC is the
/// datasheets' CRC-8 (polynomial 0x31, init 0xFF; 0xBEEF gives 0x92).
/// </summary>
internal sealed class SensirionChip : EmulatedI2cDevice
{
    public SensirionChip(int address)
        : base(address)
    {
    }

    public ushort RawTemperature { get; set; }

    public ushort RawHumidity { get; set; }

    public bool CorruptCrc { get; set; }

    public List<ushort> Commands { get; } = [];

    public static byte Crc8(byte msb, byte lsb)
    {
        byte crc = 0xff;
        foreach (var b in (ReadOnlySpan<byte>)[msb, lsb])
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x80) != 0 ? (byte)((crc << 1) ^ 0x31) : (byte)(crc << 1);
            }
        }

        return crc;
    }

    protected override void OnWrite(ReadOnlySpan<byte> data) =>
        Commands.Add(data.Length >= 2 ? (ushort)((data[0] << 8) | data[1]) : data.Length == 1 ? data[0] : (ushort)0);

    protected override void OnRead(Span<byte> data)
    {
        Span<byte> frame =
        [
            (byte)(RawTemperature >> 8), (byte)RawTemperature, Crc8((byte)(RawTemperature >> 8), (byte)RawTemperature),
            (byte)(RawHumidity >> 8), (byte)RawHumidity, Crc8((byte)(RawHumidity >> 8), (byte)RawHumidity),
        ];
        if (CorruptCrc)
        {
            frame[2] ^= 0xff;
            frame[5] ^= 0xff;
        }

        frame[..Math.Min(6, data.Length)].CopyTo(data);
    }
}
