using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// Every C constant and struct layout the agent passes to the C library or the kernel, per CPU architecture.
/// They are not portable: <c>O_DIRECTORY</c> is 0x10000 on x86-64 but 0x4000 on arm64 (where 0x10000 means
/// <c>O_DIRECT</c>, and opening a directory with it fails with EINVAL). So no call site writes a literal; each reads
/// <see cref="Current"/>, and <c>LinuxAbiTests</c> checks every entry of both tables against the C headers through a
/// probe compiled with gcc and aarch64-linux-gnu-gcc. The arm64 table is the x86-64 one with what differs: the probe
/// checks every entry of the arm64 table too, so a value that differs and was not written there fails that test.
/// </summary>
internal sealed record LinuxAbi
{
    // termios speed_t codes (B50 ... B4000000): asm-generic values on both architectures (the probe checks each).
    // Declared before the tables: static initializers run in textual order.
    private static readonly (int Rate, uint Speed)[] CommonBaudRates =
    [
        (50, 1), (75, 2), (110, 3), (134, 4), (150, 5), (200, 6), (300, 7), (600, 8), (1200, 9), (1800, 10), (2400, 11),
        (4800, 12), (9600, 13), (19200, 14), (38400, 15), (57600, 0x1001), (115200, 0x1002), (230400, 0x1003),
        (460800, 0x1004), (500000, 0x1005), (576000, 0x1006), (921600, 0x1007), (1000000, 0x1008), (1152000, 0x1009),
        (1500000, 0x100A), (2000000, 0x100B), (2500000, 0x100C), (3000000, 0x100D), (3500000, 0x100E), (4000000, 0x100F),
    ];

    // The C layouts our [StructLayout] structs mirror: sizeof and the offset of each member we declare. Both
    // architectures are LP64 with natural alignment, so one C# declaration serves both exactly when these agree.
    private static readonly StructLayout[] CommonLayouts =
    [
        new("termios", 60, [("c_iflag", 0), ("c_oflag", 4), ("c_cflag", 8), ("c_lflag", 12), ("c_line", 16), ("c_cc", 17), ("c_ispeed", 52), ("c_ospeed", 56)]),
        new("pollfd", 8, [("fd", 0), ("events", 4), ("revents", 6)]),
        new("i2c_msg", 16, [("addr", 0), ("flags", 2), ("len", 4), ("buf", 8)]),
        new("i2c_rdwr_ioctl_data", 16, [("msgs", 0), ("nmsgs", 8)]),
        new("mallinfo2", 80, [("arena", 0), ("ordblks", 8), ("smblks", 16), ("hblks", 24), ("hblkhd", 32), ("usmblks", 40), ("fsmblks", 48), ("uordblks", 56), ("fordblks", 64), ("keepcost", 72)]),
    ];

    /// <summary>x86-64 (glibc, Linux UAPI).</summary>
    public static readonly LinuxAbi X64 = new()
    {
        Architecture = Architecture.X64,
        O_RDONLY = 0x0,
        O_RDWR = 0x2,
        O_NOCTTY = 0x100,
        O_NONBLOCK = 0x800,
        O_DIRECTORY = 0x10000,
        O_NOFOLLOW = 0x20000,
        O_CLOEXEC = 0x80000,
        EINTR = 4,
        EAGAIN = 11,
        ENOSPC = 28,
        EDQUOT = 122,
        F_SETPIPE_SZ = 1031,
        F_GETPIPE_SZ = 1032,
        M_MMAP_THRESHOLD = -3,
        POLLIN = 0x1,
        POLLERR = 0x8,
        POLLHUP = 0x10,
        POLLNVAL = 0x20,
        TCSANOW = 0,
        TCIOFLUSH = 2,
        CSIZE = 0x30,
        CS8 = 0x30,
        CSTOPB = 0x40,
        CREAD = 0x80,
        PARENB = 0x100,
        CLOCAL = 0x800,
        CRTSCTS = 0x80000000,
        ICANON = 0x2,
        ECHO = 0x8,
        VTIME = 5,
        VMIN = 6,
        I2C_RDWR = 0x0707,
        I2C_M_RD = 0x0001,
        BaudRates = CommonBaudRates,
        Layouts = CommonLayouts,
    };

    /// <summary>AArch64 (glibc, Linux UAPI): Raspberry Pi OS 64-bit, Jetson. Only what its headers define otherwise is written here.</summary>
    public static readonly LinuxAbi Arm64 = X64 with
    {
        Architecture = Architecture.Arm64,
        O_DIRECTORY = 0x4000,
        O_NOFOLLOW = 0x8000,
    };

    private static LinuxAbi? s_current;

    private LinuxAbi()
    {
    }

    /// <summary>The table for the architecture this process runs on.</summary>
    public static LinuxAbi Current => s_current ??= For(RuntimeInformation.ProcessArchitecture);

    public required Architecture Architecture { get; init; }

    // open(2) flags (fcntl.h).
    public required int O_RDONLY { get; init; }
    public required int O_RDWR { get; init; }
    public required int O_NOCTTY { get; init; }
    public required int O_NONBLOCK { get; init; }
    public required int O_DIRECTORY { get; init; }
    public required int O_NOFOLLOW { get; init; }
    public required int O_CLOEXEC { get; init; }

    // errno values (errno.h).
    public required int EINTR { get; init; }
    public required int EAGAIN { get; init; }
    public required int ENOSPC { get; init; }
    public required int EDQUOT { get; init; }

    // fcntl(2) commands (fcntl.h, _GNU_SOURCE).
    public required int F_SETPIPE_SZ { get; init; }
    public required int F_GETPIPE_SZ { get; init; }

    // mallopt(3) parameters (malloc.h).
    public required int M_MMAP_THRESHOLD { get; init; }

    // poll(2) events (poll.h).
    public required int POLLIN { get; init; }
    public required int POLLERR { get; init; }
    public required int POLLHUP { get; init; }
    public required int POLLNVAL { get; init; }

    // termios (termios.h): actions, c_cflag / c_lflag bits, c_cc indices.
    public required int TCSANOW { get; init; }
    public required int TCIOFLUSH { get; init; }
    public required uint CSIZE { get; init; }
    public required uint CS8 { get; init; }
    public required uint CSTOPB { get; init; }
    public required uint CREAD { get; init; }
    public required uint PARENB { get; init; }
    public required uint CLOCAL { get; init; }
    public required uint CRTSCTS { get; init; }
    public required uint ICANON { get; init; }
    public required uint ECHO { get; init; }
    public required int VTIME { get; init; }
    public required int VMIN { get; init; }

    // i2c-dev (linux/i2c-dev.h, linux/i2c.h).
    public required nuint I2C_RDWR { get; init; }
    public required ushort I2C_M_RD { get; init; }

    /// <summary>Baud rate to termios speed_t (B9600 = 13, B115200 = 0x1002, ...).</summary>
    public required IReadOnlyList<(int Rate, uint Speed)> BaudRates { get; init; }

    /// <summary>The C struct layouts the interop structs must match.</summary>
    public required IReadOnlyList<StructLayout> Layouts { get; init; }

    public static LinuxAbi For(Architecture architecture) => architecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        _ => throw new PlatformNotSupportedException(
            $"EdgeAgent's native calls are built for x64 and arm64 Linux only, not {architecture}: their C constants differ per architecture."),
    };

    /// <summary>ENOSPC or EDQUOT: the disk (or the user's quota) is full.</summary>
    public bool IsDiskFull(int errno) => errno == ENOSPC || errno == EDQUOT;

    /// <summary>The termios speed_t for a baud rate; null if it is not a standard rate.</summary>
    public uint? ToSpeed(int rate)
    {
        foreach (var (r, s) in BaudRates)
        {
            if (r == rate)
            {
                return s;
            }
        }

        return null;
    }

    /// <summary>A C struct's size and member offsets, as the C compiler for the architecture lays it out.</summary>
    public sealed record StructLayout(string Name, int Size, IReadOnlyList<(string Member, int Offset)> Members);
}
