using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class I2cRegisterDecoderTests
{
    [Fact]
    public void Tmp102_twelve_bit_left_aligned_signed_big_endian()
    {
        // TMP102: 12-bit two's complement in the top of 16 bits, 0.0625 °C per LSB.
        var register = new I2cRegisterOptions { Length = 2, Signed = true, Shift = 4, Scale = 0.0625 };
        I2cRegisterDecoder.Decode([0x19, 0x00], register).Should().Be(25.0);
        I2cRegisterDecoder.Decode([0xE7, 0x00], register).Should().Be(-25.0);
        I2cRegisterDecoder.Decode([0x7F, 0xF0], register).Should().Be(127.9375);
    }

    [Fact]
    public void Byte_order_signedness_scale_and_offset()
    {
        I2cRegisterDecoder.Decode([0x34, 0x12], new I2cRegisterOptions { ByteOrder = ByteOrder.LittleEndian, Signed = false }).Should().Be(0x1234);
        I2cRegisterDecoder.Decode([0xFF, 0xFF], new I2cRegisterOptions { Signed = false }).Should().Be(65535);
        I2cRegisterDecoder.Decode([0xFF, 0xFF], new I2cRegisterOptions { Signed = true }).Should().Be(-1);
        I2cRegisterDecoder.Decode([0x80], new I2cRegisterOptions { Length = 1, Signed = true, Scale = 2, Offset = 1 }).Should().Be(-255);
        I2cRegisterDecoder.Decode([0x00, 0x01, 0x86, 0xA0], new I2cRegisterOptions { Length = 4, Signed = false, Scale = 0.01 }).Should().BeApproximately(1000, 1e-9);
        I2cRegisterDecoder.Decode([0x01, 0x02, 0x03], new I2cRegisterOptions { Length = 3, ByteOrder = ByteOrder.LittleEndian, Signed = false }).Should().Be(0x030201);
    }
}
