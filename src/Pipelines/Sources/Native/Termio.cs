namespace EdgeAgent.Pipelines.Sources.Native;

/// <summary>termios flag bits and c_cc indices (asm-generic values, the same on x86_64 and aarch64).</summary>
internal static class Termio
{
    public const uint CSIZE = 0x30;
    public const uint CS8 = 0x30;
    public const uint CSTOPB = 0x40;
    public const uint CREAD = 0x80;
    public const uint PARENB = 0x100;
    public const uint CLOCAL = 0x800;
    public const uint CRTSCTS = 0x80000000;
    public const uint ICANON = 0x2;
    public const uint ECHO = 0x8;
    public const int VTIME = 5;
    public const int VMIN = 6;
}
