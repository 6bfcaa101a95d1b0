using System.Buffers.Binary;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>
/// An MPU-9250 (WHO_AM_I 0x71) with its AK8963 magnetometer behind the MPU's auxiliary I2C master, as on the real
/// part: the AK8963 is reached only through slave 0 (register map 4.12: I2C_SLV0_ADDR 0x25 with bit 7 = read,
/// I2C_SLV0_REG 0x26, I2C_SLV0_DO 0x63, I2C_SLV0_CTRL 0x27 with bit 7 = enable and the length in bits 3:0), and
/// only while USER_CTRL (0x6A) has I2C_MST_EN; what it reads lands in EXT_SENS_DATA_00 (0x49) on.
/// The AK8963 (datasheet 8.3): WIA 0x48; measurement data HXL..HZH (0x03..0x08, little-endian) and DRDY in ST1
/// bit 0; CNTL1 (0x0A) mode 0001 = single measurement (DRDY set when done, then power-down), 0110 = continuous
/// 100 Hz (a new measurement is ready whenever ST1 is read after the last one was taken), 1111 = fuse ROM access,
/// the only mode in which ASAX..ASAZ (0x10..0x12) read their values; reading the data or ST2 clears DRDY.
/// </summary>
internal sealed class Mpu9250Chip
{
    private byte _mode;
    private bool _ready;

    public Mpu9250Chip(int address = 0x68)
    {
        Mpu = new ByteRegisterChip(address);
        Mpu.Set(0x75, 0x71);
        Mpu.Written = OnMpuWrite;
        Magnetometer[0x00] = 0x48;
    }

    public ByteRegisterChip Mpu { get; }

    /// <summary>The AK8963's registers; ASA values at 0x10..0x12.</summary>
    public byte[] Magnetometer { get; } = new byte[32];

    public byte MagnetometerMode => _mode;

    public int Measurements { get; private set; }

    public void SetField(short x, short y, short z)
    {
        BinaryPrimitives.WriteInt16LittleEndian(Magnetometer.AsSpan(0x03), x);
        BinaryPrimitives.WriteInt16LittleEndian(Magnetometer.AsSpan(0x05), y);
        BinaryPrimitives.WriteInt16LittleEndian(Magnetometer.AsSpan(0x07), z);
    }

    private void OnMpuWrite(byte register, byte value)
    {
        if (register == 0x6b && (value & 0x80) != 0)
        {
            Mpu.Registers[0x6b] = (byte)(value & 0x7f); // the reset bit clears itself
        }

        if (register != 0x27 || (value & 0x80) == 0 || (Mpu.Registers[0x6a] & 0x20) == 0 || (Mpu.Registers[0x25] & 0x7f) != 0x0c)
        {
            return;
        }

        var akRegister = Mpu.Registers[0x26];
        if ((Mpu.Registers[0x25] & 0x80) == 0)
        {
            WriteMagnetometer(akRegister, Mpu.Registers[0x63]);
            return;
        }

        for (var i = 0; i < (value & 0x0f); i++)
        {
            Mpu.Registers[0x49 + i] = ReadMagnetometer(akRegister + i);
        }
    }

    private void WriteMagnetometer(byte register, byte value)
    {
        if (register != 0x0a)
        {
            Magnetometer[register] = value;
            return;
        }

        Magnetometer[0x0a] = value;
        _mode = (byte)(value & 0x0f);
        if (_mode == 0b0001)
        {
            Measurements++;
            _ready = true;
            _mode = 0;
        }
    }

    private byte ReadMagnetometer(int register)
    {
        switch (register)
        {
            case 0x02:
                if (_mode == 0b0110 && !_ready)
                {
                    Measurements++;
                    _ready = true;
                }

                return (byte)(_ready ? 1 : 0);
            case >= 0x03 and <= 0x09:
                _ready = false;
                return register == 0x09 ? (byte)(Magnetometer[0x0a] & 0x10) : Magnetometer[register];
            case >= 0x10 and <= 0x12:
                return _mode == 0b1111 ? Magnetometer[register] : (byte)0;
            default:
                return Magnetometer[register];
        }
    }
}
