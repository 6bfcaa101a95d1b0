using System.Formats.Tar;

namespace EdgeAgent.Ota;

/// <summary>
/// Copies a bundle (a .tar or a folder) into a staging directory, accepting only model.onnx, model.json and
/// model.sig as plain files at the top level: no paths, no links, no devices, nothing over the size cap. Every
/// file is opened through <see cref="RegularFile"/> (never blocking on a FIFO, never reading a device node), and
/// whatever a hostile archive makes the tar reader throw is a typed rejection (<c>unsafe_bundle</c>), never an escape.
/// </summary>
public static class BundleReader
{
    public static void Extract(string source, string staging, long maxBytes)
    {
        Directory.CreateDirectory(staging);
        switch (RegularFile.KindOf(source))
        {
            case Pipelines.Platform.Native.FileKind.Directory:
                CopyFolder(source, staging, maxBytes);
                break;
            case Pipelines.Platform.Native.FileKind.Regular:
                ExtractTar(source, staging, maxBytes);
                break;
            case null:
                throw new OtaRejectedException(RejectionReason.MalformedRequest, $"bundle '{source}' does not exist");
            case { } other:
                throw new OtaRejectedException(RejectionReason.UnsafeBundle,
                    $"bundle must be a .tar file or a folder: {new NotARegularFileException(source, other).Message}");
        }

        foreach (var required in new[] { BundleFiles.Model, BundleFiles.Manifest })
        {
            if (!File.Exists(Path.Combine(staging, required)))
            {
                throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}' has no {required}");
            }
        }
    }

    private static void CopyFolder(string source, string staging, long maxBytes)
    {
        long total = 0;
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            if (!BundleFiles.All.Contains(entry.Name))
            {
                continue;
            }

            FileStream input;
            try
            {
                input = RegularFile.OpenRead(entry.FullName);
            }
            catch (NotARegularFileException ex)
            {
                throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}': {entry.Name} must be a plain file: {ex.Message}", ex);
            }

            using (input)
            using (var output = new FileStream(Path.Combine(staging, entry.Name), FileMode.CreateNew, FileAccess.Write))
            {
                // Counted on the bytes read, not on what stat said: the file may grow while it is copied.
                total = CopyCapped(input, output, total, source, maxBytes);
            }
        }
    }

    private static long CopyCapped(Stream input, Stream output, long total, string source, long maxBytes)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            total += read;
            CheckSize(source, total, maxBytes);
            output.Write(buffer, 0, read);
        }

        return total;
    }

    private static void ExtractTar(string source, string staging, long maxBytes)
    {
        long total = 0;
        try
        {
            using var stream = RegularFile.OpenRead(source);
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (entry.EntryType is TarEntryType.Directory && name is "" or ".")
                {
                    continue;
                }

                // Exact names only: this is what keeps "../../etc/passwd" and "model.onnx/../x" out.
                if (!BundleFiles.All.Contains(name))
                {
                    throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}' contains '{entry.Name}'; only {string.Join(", ", BundleFiles.All)} are allowed");
                }

                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
                {
                    throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}': {name} must be a regular file, not {entry.EntryType}");
                }

                total += entry.Length;
                CheckSize(source, total, maxBytes);
                var target = Path.Combine(staging, name);
                if (File.Exists(target))
                {
                    throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}' contains {name} twice");
                }

                entry.ExtractToFile(target, overwrite: false);
            }
        }
        catch (NotARegularFileException ex)
        {
            throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}': {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or OverflowException or ArgumentException
                                       or NotSupportedException)
        {
            // A base-256 size field (OverflowException), a negative length (ArgumentOutOfRangeException), a truncated
            // header: all are a broken or hostile archive, refused like any other.
            throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}' is not a readable tar archive: {ex.Message}", ex);
        }
    }

    private static void CheckSize(string source, long total, long maxBytes)
    {
        if (total > maxBytes)
        {
            throw new OtaRejectedException(RejectionReason.TooLarge, $"bundle '{source}' is larger than the {maxBytes / (1024 * 1024)} MB cap (ota.maxArtifactMegabytes)");
        }
    }
}
