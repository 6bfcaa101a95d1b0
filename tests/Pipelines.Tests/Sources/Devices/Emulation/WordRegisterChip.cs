namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>A chip with 16-bit big-endian registers behind a pointer byte (MCP9808, LM75, ADS1115, INA219): a write
/// sets the pointer and, with two more bytes, the register; a read returns the register's bytes.</summary>
internal class WordRegisterChip : EmulatedI2cDevice
{
    private byte _pointer;

    public WordRegisterChip(int address)
        : base(address)
    {
    }

    public ushort[] Registers { get; } = new ushort[256];

    public Action<byte, ushort>? Written { get; set; }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return;
        }

        _pointer = data[0];
        if (data.Length >= 3)
        {
            Registers[_pointer] = (ushort)((data[1] << 8) | data[2]);
            Written?.Invoke(_pointer, Registers[_pointer]);
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        var value = Registers[_pointer];
        if (data.Length > 0)
        {
            data[0] = (byte)(value >> 8);
        }

        if (data.Length > 1)
        {
            data[1] = (byte)value;
        }
    }
}
