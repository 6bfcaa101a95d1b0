using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// The libc calls .NET does not expose: fsync of a directory, so a rename survives a power cut; and an open that
/// neither follows a link nor blocks on a FIFO, with <c>statx</c> to see what a path really is before and after.
/// </summary>
internal static partial class Libc
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_TYPE = 0x1;
    private const uint STATX_INO = 0x100;
    private const uint STATX_SIZE = 0x200;

    // statx's layout is the same on every architecture (it was designed so): offsets from linux/stat.h.
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;
    private const int StatxInoOffset = 32;
    private const int StatxSizeOffset = 40;

    // RLIMIT_AS is 9 on x86-64, arm64 and arm (asm-generic); only alpha, mips and sparc differ, and .NET does not run there.
    private const int RLIMIT_AS = 9;

    /// <summary>
    /// Caps this process's address space (RLIMIT_AS, soft and hard) at <paramref name="bytes"/>: mappings beyond it
    /// fail (malloc returns NULL, ONNX Runtime reports an allocation failure) instead of the OOM killer choosing a victim.
    /// </summary>
    public static unsafe void LimitAddressSpace(ulong bytes)
    {
        var limit = stackalloc ulong[2] { bytes, bytes };
        if (setrlimit(RLIMIT_AS, limit) != 0)
        {
            throw new IOException($"setrlimit(RLIMIT_AS) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Flushes a directory's entries (new names, renames) to disk.</summary>
    public static void FsyncDirectory(string path)
    {
        var abi = LinuxAbi.Current;
        var fd = open(path, abi.O_RDONLY | abi.O_DIRECTORY);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory '{path}' to flush it: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>What a path is, without following a final symbolic link (lstat); null when it does not exist.</summary>
    public static FileKind? Lstat(string path, out ulong inode, out long size) => Stat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, out inode, out size);

    /// <summary>
    /// Opens for reading without following a final link and without blocking (a FIFO opens at once instead of waiting
    /// for a writer). Returns the descriptor, or -errno.
    /// </summary>
    public static int OpenNoFollowNonBlocking(string path)
    {
        var abi = LinuxAbi.Current;
        var fd = open(path, abi.O_RDONLY | abi.O_NOFOLLOW | abi.O_NONBLOCK | abi.O_CLOEXEC);
        return fd >= 0 ? fd : -Marshal.GetLastPInvokeError();
    }

    /// <summary>What an open descriptor is (fstat).</summary>
    public static FileKind? Fstat(int fd, out ulong inode, out long size) => Stat(fd, string.Empty, AT_EMPTY_PATH, out inode, out size);

    public static void Close(int fd) => close(fd);

    private static unsafe FileKind? Stat(int dirfd, string path, int flags, out ulong inode, out long size)
    {
        var buffer = stackalloc byte[StatxSize];
        if (statx(dirfd, path, flags, STATX_TYPE | STATX_INO | STATX_SIZE, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            inode = 0;
            size = 0;
            return errno is 2 or 20 ? null : throw new IOException($"cannot stat '{path}': errno {errno}");
        }

        var mode = *(ushort*)(buffer + StatxModeOffset);
        inode = *(ulong*)(buffer + StatxInoOffset);
        size = (long)*(ulong*)(buffer + StatxSizeOffset);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }
}
