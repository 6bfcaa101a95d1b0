using System.Globalization;
using EdgeAgent.Configuration;
using EdgeAgent.Outbox;
using Microsoft.Data.Sqlite;

namespace EdgeAgent.Cli.Doctor;

/// <summary>The state directory can be written, its disk has room for the outbox's cap, and the outbox file is intact.</summary>
internal static class StorageChecks
{
    private const long MiB = 1024 * 1024;

    /// <summary>Below this the disk counts as full: the outbox cannot take a batch and the logs cannot be written.</summary>
    internal const long FullBelowBytes = 8 * MiB;

    public static IEnumerable<DoctorCheck> Run(AgentOptions options)
    {
        var directory = options.StateDirectory;
        var writable = Writable(directory);
        yield return writable;
        if (writable.Verdict == DoctorVerdict.Error && !Directory.Exists(directory))
        {
            yield break;
        }

        yield return FreeSpace(options);
        if (Directory.Exists(directory))
        {
            yield return Integrity(OutboxServiceCollectionExtensions.PathIn(options));
        }
    }

    private static DoctorCheck Writable(string directory)
    {
        if (!Directory.Exists(directory))
        {
            var parent = Path.GetDirectoryName(directory) ?? "/";
            return Directory.Exists(parent)
                ? DoctorCheck.Ok("state.writable", $"stateDirectory {directory} does not exist yet; the agent creates it in {parent} at its first start")
                : DoctorCheck.Error("state.writable", $"stateDirectory {directory} does not exist, nor does {parent}",
                    "create it for the agent's user, or set stateDirectory");
        }

        var probe = Path.Combine(directory, $".edgeagent-doctor-{Environment.ProcessId}");
        try
        {
            using (var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
            {
                file.Write(new byte[4096]);
            }

            return DoctorCheck.Ok("state.writable", $"stateDirectory {directory} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Error("state.writable", $"stateDirectory {directory} cannot be written: {ex.Message}",
                "free space on its disk, or give the agent's user write access (systemd's StateDirectory= does), or set stateDirectory");
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static DoctorCheck FreeSpace(AgentOptions options)
    {
        // Before the first start the directory is not there yet: its disk is the one of the nearest existing parent.
        var directory = options.StateDirectory;
        while (!Directory.Exists(directory) && Path.GetDirectoryName(directory) is { } parent)
        {
            directory = parent;
        }

        long available;
        try
        {
            available = new DriveInfo(directory).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return DoctorCheck.Warning("state.free-space", $"cannot tell the free space of {directory}: {ex.Message}", "check it with 'df -h " + directory + "'");
        }

        var outbox = OutboxServiceCollectionExtensions.PathIn(options);
        var used = new[] { outbox, outbox + "-wal", outbox + "-shm" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        var cap = options.Outbox.MaxMegabytes * MiB;
        var more = Math.Max(0, cap - used);
        var words = string.Create(CultureInfo.InvariantCulture,
            $"{Size(available)} free on the disk of {directory}; the outbox uses {Size(used)} of its {options.Outbox.MaxMegabytes} MiB cap (outbox.maxMegabytes)");
        if (available < Math.Min(FullBelowBytes, Math.Max(more, MiB)))
        {
            return DoctorCheck.Error("state.free-space", $"the disk is full: {words}",
                "free space on that disk (old logs, snapshots, core files), or move stateDirectory to a larger one; events that cannot be stored are lost");
        }

        if (available < more)
        {
            return DoctorCheck.Warning("state.free-space", $"{words}: the disk fills before the cap, and then events are lost",
                string.Create(CultureInfo.InvariantCulture, $"lower outbox.maxMegabytes to {Math.Max(1, (used + (available / 2)) / MiB)} or less, or free space on that disk"));
        }

        return DoctorCheck.Ok("state.free-space", words);
    }

    private static DoctorCheck Integrity(string path)
    {
        if (!File.Exists(path))
        {
            return DoctorCheck.Ok("outbox.integrity", $"{path} not created yet (the agent creates it at start)");
        }

        try
        {
            using var connection = OutboxStore.OpenReadOnly(path)!;
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA quick_check";
            var result = command.ExecuteScalar() as string;
            if (result != "ok")
            {
                return DoctorCheck.Error("outbox.integrity", $"{path} is damaged: {result}",
                    "restart the agent: it moves a damaged outbox aside (keeping it for inspection) and starts a new one");
            }

            var (depth, bytes, _, _, dropped) = OutboxStore.ReadTotals(connection);
            return DoctorCheck.Ok("outbox.integrity", string.Create(CultureInfo.InvariantCulture, $"{path} intact; {depth} message(s), {Size(bytes)} waiting, {dropped} dropped so far"));
        }
        catch (SqliteException ex)
        {
            return DoctorCheck.Error("outbox.integrity", $"{path} cannot be read: {ex.Message}",
                "restart the agent: it moves a damaged outbox aside and starts a new one; run the doctor as the agent's user or root");
        }
    }

    private static string Size(long bytes) => bytes >= MiB
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)MiB:0.#} MiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB");
}
