using System.Runtime.InteropServices;

namespace EdgeAgent.Ota.Native;

/// <summary>
/// open(2) flags that differ between architectures (asm-generic vs x86's own fcntl.h): taken from a table per
/// architecture, checked against the C headers by <c>OpenFlagsTests</c>, never one literal.
/// </summary>
internal static class OpenFlags
{
    public const int NonBlock = 0x800;
    public const int CloseOnExec = 0x80000;

    public static readonly int NoFollow = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x20000,
        Architecture.Arm64 or Architecture.Arm => 0x8000,
        var other => throw new PlatformNotSupportedException($"O_NOFOLLOW is not known for {other}"),
    };

    public static readonly int Directory = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x10000,
        Architecture.Arm64 or Architecture.Arm => 0x4000,
        var other => throw new PlatformNotSupportedException($"O_DIRECTORY is not known for {other}"),
    };
}
