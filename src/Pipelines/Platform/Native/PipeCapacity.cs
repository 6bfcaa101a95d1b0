using System.Globalization;
using System.IO.Pipes;

namespace EdgeAgent.Pipelines.Platform.Native;

/// <summary>
/// Grows the pipe ffmpeg writes frames into. A Linux pipe holds 64 KiB by default, so a 224x224 RGB frame (147 KiB)
/// crossed it in three or more blocking hand-overs, each waking the reader and ffmpeg in turn: thousands of context
/// switches a second at a few hundred frames per second, on the cores the model runs on. With room for a whole frame
/// ffmpeg writes it in one go and the reader takes it in one read.
/// </summary>
internal static class PipeCapacity
{
    /// <summary>Asks for at least <paramref name="bytes"/> (capped at /proc/sys/fs/pipe-max-size); returns the capacity now, 0 if unknown.</summary>
    public static int Grow(Stream stream, int bytes)
    {
        if (!OperatingSystem.IsLinux() || stream is not PipeStream pipe)
        {
            return 0;
        }

        var abi = LinuxAbi.Current;
        var handle = pipe.SafePipeHandle;
        var current = Libc.fcntl(handle, abi.F_GETPIPE_SZ, 0);
        if (current < 0 || current >= bytes)
        {
            return Math.Max(current, 0);
        }

        // Best effort: a smaller pipe still works, only with more wake-ups per frame.
        var grown = Libc.fcntl(handle, abi.F_SETPIPE_SZ, Math.Min(bytes, MaxSize()));
        return grown > 0 ? grown : current;
    }

    private static int MaxSize()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 1024 * 1024; // the kernel's default limit
        }
    }
}
