using System.Buffers.Text;
using Microsoft.Win32.SafeHandles;

namespace EdgeAgent.Pipelines.Sources.Sysfs;

/// <summary>
/// A sysfs attribute kept open and re-read at offset 0 (the kernel regenerates the text on every read at 0), so a
/// poll costs one pread and no allocation. The directory is checked on every read: a removed device (or a test
/// deleting its fake tree) counts as gone even where the open handle would still read stale data.
/// </summary>
internal sealed class SysfsFile : IDisposable
{
    private readonly string _directory;
    private SafeFileHandle? _handle;

    public SysfsFile(string path)
    {
        Path = path;
        _directory = System.IO.Path.GetDirectoryName(path) ?? "/";
    }

    public string Path { get; }

    public void Open()
    {
        Close();
        try
        {
            _handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException e)
        {
            throw new IOException($"{Path} does not exist", e);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new IOException($"{Path} does not exist", e);
        }
    }

    /// <summary>Reads the whole attribute into <paramref name="buffer"/>; throws <see cref="IOException"/> when it is gone.</summary>
    public int Read(Span<byte> buffer)
    {
        if (_handle is null || !Directory.Exists(_directory))
        {
            throw new IOException($"{_directory} has disappeared");
        }

        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(_handle, buffer[total..], total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Reads an integer or decimal attribute (e.g. "23125\n", "0.000610351").</summary>
    public bool TryReadNumber(out double value)
    {
        Span<byte> buffer = stackalloc byte[64];
        var text = buffer[..Read(buffer)].Trim(" \t\r\n\0"u8);
        return Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && text.Length > 0;
    }

    /// <summary>Reads a number once (scale/offset files), or returns <paramref name="fallback"/> when the file is absent.</summary>
    public static double ReadOptional(string path, double fallback)
    {
        if (!File.Exists(path))
        {
            return fallback;
        }

        using var file = new SysfsFile(path);
        file.Open();
        return file.TryReadNumber(out var value) ? value : throw new IOException($"{path} does not hold a number");
    }

    public void Close()
    {
        _handle?.Dispose();
        _handle = null;
    }

    public void Dispose() => Close();
}
