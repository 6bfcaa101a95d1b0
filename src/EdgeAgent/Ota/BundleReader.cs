using System.Formats.Tar;

namespace EdgeAgent.Ota;

/// <summary>
/// Copies a bundle (a .tar or a folder) into a staging directory, accepting only model.onnx, model.json and
/// model.sig as plain files at the top level: no paths, no links, no devices, nothing over the size cap.
/// </summary>
public static class BundleReader
{
    public static void Extract(string source, string staging, long maxBytes)
    {
        Directory.CreateDirectory(staging);
        if (Directory.Exists(source))
        {
            CopyFolder(source, staging, maxBytes);
        }
        else if (File.Exists(source))
        {
            ExtractTar(source, staging, maxBytes);
        }
        else
        {
            throw new OtaRejectedException(RejectionReason.MalformedRequest, $"bundle '{source}' does not exist");
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

            if (entry is not FileInfo file || entry.LinkTarget is not null)
            {
                throw new OtaRejectedException(RejectionReason.UnsafeBundle, $"bundle '{source}': {entry.Name} must be a plain file, not a link or folder");
            }

            total += file.Length;
            CheckSize(source, total, maxBytes);
            file.CopyTo(Path.Combine(staging, entry.Name), overwrite: false);
        }
    }

    private static void ExtractTar(string source, string staging, long maxBytes)
    {
        long total = 0;
        try
        {
            using var stream = File.OpenRead(source);
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
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
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
