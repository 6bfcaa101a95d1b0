using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// Explains why dlopen refused an existing file: glibc reports a library built for another CPU as "No such file",
/// which sends users looking for a file that is right there.
/// </summary>
internal static class ElfHeader
{
    public static string? Problem(string path)
    {
        Span<byte> header = stackalloc byte[20];
        try
        {
            using var file = File.OpenRead(path);
            if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return "the file is too short to be a shared library";
            }
        }
        catch (IOException ex)
        {
            return ex.Message;
        }
        catch (UnauthorizedAccessException ex)
        {
            return ex.Message;
        }

        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            return "it is not an ELF shared library";
        }

        var machine = Machine(BitConverter.ToUInt16(header[18..20]));
        var expected = RuntimeInformation.ProcessArchitecture.ToString();
        if (machine != expected)
        {
            return $"it is built for {machine}, but this machine runs {expected} (wrong architecture)";
        }

        return header[4] == 2 ? null : "it is a 32-bit library; the agent is 64-bit (wrong architecture)";
    }

    private static string Machine(ushort value) => value switch
    {
        0x03 => "X86",
        0x28 => "Arm",
        0x3E => "X64",
        0xB7 => "Arm64",
        0xF3 => "RiscV64",
        _ => $"ELF machine 0x{value:X}",
    };
}
