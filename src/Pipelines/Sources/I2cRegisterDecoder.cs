namespace EdgeAgent.Pipelines.Sources;

/// <summary>Turns the bytes of one register read into a value: byte order, two's complement, shift, scale, offset.</summary>
public static class I2cRegisterDecoder
{
    public static double Decode(ReadOnlySpan<byte> bytes, I2cRegisterOptions register)
    {
        long raw = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = register.ByteOrder == ByteOrder.BigEndian ? bytes[i] : bytes[bytes.Length - 1 - i];
            raw = (raw << 8) | b;
        }

        var bits = bytes.Length * 8;
        if (register.Signed && (raw & (1L << (bits - 1))) != 0)
        {
            raw -= 1L << bits;
        }

        // An arithmetic shift keeps the sign of left-aligned values (e.g. a 12-bit reading in the top of 16 bits).
        raw >>= register.Shift;
        return (raw * register.Scale) + register.Offset;
    }
}
