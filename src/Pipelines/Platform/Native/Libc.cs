using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// The agent's one binding of the C library: the entry points under their C names (serial, I2C, pipes,
/// directory fsync, statx, address-space limit, clock state, malloc controls) and the structs they take.
/// Their constants and struct layouts are per architecture, in <see cref="LinuxAbi"/>; the helpers over them are
/// the partial files beside this one.
/// </summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string pathname, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint read(int fd, byte* buf, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint nfds, int timeout);

    [LibraryImport(Library, EntryPoint = "tcgetattr", SetLastError = true)]
    public static partial int tcgetattr(int fd, Termios* termios_p);

    [LibraryImport(Library, EntryPoint = "tcsetattr", SetLastError = true)]
    public static partial int tcsetattr(int fd, int optional_actions, Termios* termios_p);

    [LibraryImport(Library, EntryPoint = "tcflush", SetLastError = true)]
    public static partial int tcflush(int fd, int queue_selector);

    [LibraryImport(Library, EntryPoint = "cfmakeraw")]
    public static partial void cfmakeraw(Termios* termios_p);

    [LibraryImport(Library, EntryPoint = "cfsetispeed", SetLastError = true)]
    public static partial int cfsetispeed(Termios* termios_p, uint speed);

    [LibraryImport(Library, EntryPoint = "cfsetospeed", SetLastError = true)]
    public static partial int cfsetospeed(Termios* termios_p, uint speed);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, nint arg);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int fcntl(SafePipeHandle fd, int cmd, int arg);

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Library, EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);

    [LibraryImport(Library, EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int setrlimit(int resource, ulong* rlim);

    [LibraryImport(Library, EntryPoint = "adjtimex", SetLastError = true)]
    public static partial int adjtimex(byte* buf);

    [LibraryImport(Library, EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);

    [LibraryImport(Library, EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);

    [LibraryImport(Library, EntryPoint = "mallinfo2")]
    private static partial mallinfo2_t mallinfo2();

    /// <summary>struct pollfd (layout checked by LinuxAbiTests).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int fd;
        public short events;
        public short revents;
    }

    /// <summary>glibc's struct termios (NCCS = 32, 60 bytes on x86_64 and aarch64: LinuxAbiTests checks both).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Termios
    {
        public uint c_iflag;
        public uint c_oflag;
        public uint c_cflag;
        public uint c_lflag;
        public byte c_line;
        public fixed byte c_cc[32];
        public uint c_ispeed;
        public uint c_ospeed;
    }

    /// <summary>struct mallinfo2 (malloc.h; layout checked by LinuxAbiTests).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct mallinfo2_t
    {
        public nuint arena;
        public nuint ordblks;
        public nuint smblks;
        public nuint hblks;
        public nuint hblkhd;
        public nuint usmblks;
        public nuint fsmblks;
        public nuint uordblks;
        public nuint fordblks;
        public nuint keepcost;
    }
}
