using EdgeAgent.Pipelines.Platform.Native;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Ota;

/// <summary>
/// Opens a file an outsider may have placed (an inbox bundle, a file:// artifact) only when it is a regular file:
/// checked with lstat before opening, opened with O_NOFOLLOW|O_NONBLOCK (a FIFO cannot block the update loop, a link
/// is not followed), then checked again with fstat on the descriptor (the path may have been swapped in between).
/// A FIFO, a device node (reads never end), a socket or a link is refused with <see cref="NotARegularFileException"/>.
/// </summary>
internal static class RegularFile
{
    public static FileStream OpenRead(string path)
    {
        var before = Libc.Lstat(path, out var inode, out _)
            ?? throw new FileNotFoundException($"'{path}' does not exist", path);
        if (before != FileKind.Regular)
        {
            throw new NotARegularFileException(path, before);
        }

        var fd = Libc.OpenNoFollowNonBlocking(path);
        if (fd < 0)
        {
            throw -fd switch
            {
                2 => new FileNotFoundException($"'{path}' does not exist", path),
                13 or 1 => new UnauthorizedAccessException($"'{path}' is not readable by the agent (permission denied)"),
                40 => new NotARegularFileException(path, FileKind.SymbolicLink),
                var errno => new IOException($"cannot open '{path}': errno {errno}"),
            };
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var after = Libc.Fstat(fd, out var openedInode, out _);
            if (after != FileKind.Regular || openedInode != inode)
            {
                throw new NotARegularFileException(path, after ?? FileKind.Other);
            }

            return new FileStream(handle, FileAccess.Read, bufferSize: 81920);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>What a path is without following a link; null when it does not exist.</summary>
    public static FileKind? KindOf(string path) => Libc.Lstat(path, out _, out _);
}

/// <summary>A path that had to be a regular file is something else (a FIFO, a device, a link, a socket, a folder).</summary>
public sealed class NotARegularFileException : IOException
{
    internal NotARegularFileException(string path, FileKind kind)
        : base($"'{path}' is a {Describe(kind)}, not a regular file")
    {
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "FIFO (named pipe)",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.SymbolicLink => "symbolic link",
        FileKind.Directory => "directory",
        FileKind.Socket => "socket",
        _ => "special file",
    };
}
