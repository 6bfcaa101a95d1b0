using System.Runtime.InteropServices;
using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Ota.Native;

/// <summary>The libc calls .NET does not expose: fsync of a directory, so a rename survives a power cut.</summary>
internal static partial class Libc
{
    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string pathname, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int close(int fd);

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
}
