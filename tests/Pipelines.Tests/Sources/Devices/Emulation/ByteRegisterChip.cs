using System.Buffers.Binary;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>A chip with 8-bit registers and an auto-incrementing register pointer (Bosch BMx, InvenSense, ST, BNO055):
/// a write sets the pointer and stores any further bytes; a read returns bytes from the pointer on.</summary>
internal class ByteRegisterChip : EmulatedI2cDevice
{
    private byte _pointer;

    public ByteRegisterChip(int address)
        : base(address)
    {
    }

    public byte[] Registers { get; } = new byte[256];

    /// <summary>Called after a register is written, to emulate what the chip does about it.</summary>
    public Action<byte, byte>? Written { get; set; }

    public void Set(int register, params byte[] bytes) => bytes.CopyTo(Registers, register);

    public void SetInt16LittleEndian(int register, short value) => BinaryPrimitives.WriteInt16LittleEndian(Registers.AsSpan(register), value);

    public void SetUInt16LittleEndian(int register, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Registers.AsSpan(register), value);

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return;
        }

        _pointer = data[0];
        for (var i = 1; i < data.Length; i++)
        {
            var register = _pointer++;
            Registers[register] = data[i];
            Written?.Invoke(register, data[i]);
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = Registers[_pointer++];
        }
    }
}
