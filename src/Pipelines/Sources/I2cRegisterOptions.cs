using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public enum ByteOrder
{
    BigEndian,
    LittleEndian,
}

public sealed class I2cRegisterOptions
{
    [Description("Register address written before the read.")]
    [Range(0, 255)]
    public int Register { get; set; }

    [Description("Bytes to read (1..4).")]
    [Range(1, 4)]
    public int Length { get; set; } = 2;

    [Description("bigEndian (most sensors) or littleEndian.")]
    public ByteOrder ByteOrder { get; set; } = ByteOrder.BigEndian;

    [Description("The raw value is two's complement.")]
    public bool Signed { get; set; } = true;

    [Description("Bits to shift right after assembling (e.g. 4 for a 12-bit value left-aligned in 16 bits).")]
    [Range(0, 31)]
    public int Shift { get; set; }

    [Description("value = raw * scale + offset.")]
    public double Scale { get; set; } = 1;

    [Description("value = raw * scale + offset.")]
    public double Offset { get; set; }
}
