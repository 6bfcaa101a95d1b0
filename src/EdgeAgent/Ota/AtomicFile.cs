using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Ota;

/// <summary>
/// Replaces a file so that after a power cut either the old or the new content is there, never a mix or nothing:
/// write a temporary file beside it, fsync it, rename over the target, fsync the directory.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            Libc.FsyncDirectory(directory);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Renames a fully written directory into place and makes the rename durable.</summary>
    public static void PublishDirectory(string staged, string target)
    {
        Directory.Move(staged, target);
        Libc.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
    }
}
