using System.Diagnostics;
using Xunit;

namespace EdgeAgent.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a test's directory, to make the disk really full (ENOSPC from the kernel, not a stub).
/// Mounting needs root (or CAP_SYS_ADMIN); <see cref="TmpfsFactAttribute"/> skips a test, saying why, where it is not permitted.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    private static readonly Lazy<string?> WhyNot = new(Probe);
    private readonly string _fill;
    private bool _mounted;

    public SmallTmpfs(string path, string size)
    {
        Path = path;
        Directory.CreateDirectory(path);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path);
        if (code != 0)
        {
            throw new InvalidOperationException($"mount -t tmpfs on {path} failed: {error}");
        }

        _mounted = true;
        _fill = System.IO.Path.Combine(path, "fill.bin");
    }

    /// <summary>Null when this process may mount a tmpfs, else the reason it may not.</summary>
    public static string? NotPermitted => WhyNot.Value;

    public string Path { get; }

    /// <summary>Writes a file until the kernel says ENOSPC: afterwards no file on the mount can grow by one page.</summary>
    public long Fill()
    {
        var chunk = new byte[4096];
        long written = 0;
        using var stream = new FileStream(_fill, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        try
        {
            while (true)
            {
                stream.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            return written;
        }
    }

    /// <summary>Frees what <see cref="Fill"/> took.</summary>
    public void Free() => File.Delete(_fill);

    /// <summary>Bytes free on the mount (statvfs through df).</summary>
    public long Available()
    {
        var (code, output) = Run("df", "--output=avail", "-B1", Path);
        return code == 0 ? long.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim(), System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            // Lazy: a child that still has a file open there (an agent being killed) must not keep the mount alive.
            Run("umount", "-l", Path);
            _mounted = false;
        }
    }

    private static string? Probe()
    {
        var dir = Directory.CreateTempSubdirectory("edgeagent-tmpfs-probe-").FullName;
        try
        {
            var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir);
            if (code != 0)
            {
                return $"mounting a tmpfs is not permitted here (mount: {error.Trim()}); run the tests as root to cover a full disk";
            }

            Run("umount", dir);
            return null;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"no mount program ({ex.Message})";
        }
        finally
        {
            Directory.Delete(dir);
        }
    }

    private static (int Code, string Output) Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stderr);
    }
}

/// <summary>A fact that needs <see cref="SmallTmpfs"/>: skipped, with the reason, where mounting is not permitted.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (SmallTmpfs.NotPermitted is { } reason)
        {
            Skip = reason;
        }
    }
}
