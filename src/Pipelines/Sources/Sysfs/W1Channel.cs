using System.Buffers.Text;

namespace EdgeAgent.Pipelines.Sources.Sysfs;

/// <summary>
/// A DS18B20 (family 28) on the 1-Wire bus: <c>w1_slave</c> holds two lines, the scratchpad bytes with the kernel's
/// CRC verdict ("crc=57 YES"), then the bytes again with "t=23125" (millidegrees Celsius). A reading counts only if
/// the kernel says YES and the CRC-8 of the nine bytes checks out here too.
/// </summary>
internal sealed class W1Channel : PolledChannel
{
    private readonly SysfsFile _file;

    public W1Channel(string path)
    {
        _file = new SysfsFile(path);
    }

    public override string Device => _file.Path;

    public long CrcErrors { get; private set; }

    public override void Open() => _file.Open();

    public override bool Read(SourceContext context, out double value)
    {
        Span<byte> buffer = stackalloc byte[256];
        var text = buffer[.._file.Read(buffer)];
        if (!TryParse(text, out value, out var crcFailed))
        {
            if (crcFailed)
            {
                CrcErrors++;
            }

            context.Reject(crcFailed ? BadInput.Garbage : BadInput.MalformedLine, crcFailed ? $"{_file.Path}: CRC check failed" : $"{_file.Path}: unreadable w1_slave");
            return false;
        }

        return true;
    }

    /// <summary>Parses w1_slave text into degrees Celsius.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> text, out double celsius, out bool crcFailed)
    {
        celsius = 0;
        crcFailed = false;
        var newline = text.IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        var first = text[..newline].TrimEnd(" \r"u8);
        var second = text[(newline + 1)..].Trim(" \r\n"u8);
        if (!first.EndsWith("YES"u8) || !ScratchpadCrcOk(first))
        {
            crcFailed = true;
            return false;
        }

        var t = second.IndexOf("t="u8);
        if (t < 0 || !Utf8Parser.TryParse(second[(t + 2)..], out int milli, out var consumed) || consumed != second.Length - t - 2)
        {
            return false;
        }

        celsius = milli / 1000.0;
        return true;
    }

    /// <summary>Dallas/Maxim CRC-8 (poly 0x31 reflected) over the 8 scratchpad bytes must equal the 9th.</summary>
    private static bool ScratchpadCrcOk(ReadOnlySpan<byte> line)
    {
        Span<byte> bytes = stackalloc byte[9];
        for (var i = 0; i < 9; i++)
        {
            if (line.Length < (i * 3) + 2 || !Utf8Parser.TryParse(line.Slice(i * 3, 2), out bytes[i], out _, 'x'))
            {
                return false;
            }
        }

        byte crc = 0;
        for (var i = 0; i < 8; i++)
        {
            var b = bytes[i];
            for (var bit = 0; bit < 8; bit++)
            {
                var mix = (crc ^ b) & 1;
                crc >>= 1;
                if (mix != 0)
                {
                    crc ^= 0x8C;
                }

                b >>= 1;
            }
        }

        return crc == bytes[8];
    }

    public override void Close() => _file.Close();
}
