using System.Diagnostics;
using System.Globalization;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// Who a file is readable by, decided from its owner, group and mode bits (read with stat(1)) against a user's uid and
/// groups from /etc/passwd and /etc/group, plus the unit's SupplementaryGroups. The doctor often runs as root, which
/// can read anything; the question is whether the agent's user can.
/// </summary>
internal sealed record UnixAccount(string Name, int Uid, IReadOnlySet<int> Gids, IReadOnlyList<string> GroupNames)
{
    public static UnixAccount Of(string user, IEnumerable<string> extraGroups, string etc = "/etc")
    {
        var passwd = Read(Path.Combine(etc, "passwd")).FirstOrDefault(f => f[0] == user);
        var uid = passwd is null ? -1 : int.Parse(passwd[2], CultureInfo.InvariantCulture);
        var gids = new HashSet<int>();
        var names = new List<string>();
        if (passwd is not null)
        {
            gids.Add(int.Parse(passwd[3], CultureInfo.InvariantCulture));
        }

        var extra = extraGroups.ToHashSet(StringComparer.Ordinal);
        foreach (var group in Read(Path.Combine(etc, "group")))
        {
            var gid = int.Parse(group[2], CultureInfo.InvariantCulture);
            if (gids.Contains(gid) || extra.Contains(group[0]) || (group.Length > 3 && group[3].Split(',').Contains(user)))
            {
                gids.Add(gid);
                names.Add(group[0]);
            }
        }

        return new UnixAccount(user, uid, gids, names);
    }

    public bool Exists => Uid >= 0;

    /// <summary>Null when the user may; else why not, in words ("owned by root:video, mode 660; edgeagent is not in group video").</summary>
    public string? CannotAccess(string path, bool write)
    {
        if (Uid == 0)
        {
            return null;
        }

        var stat = Stat(path);
        if (stat is null)
        {
            return null; // cannot tell; the caller has already seen the file exists
        }

        var (ownerUid, ownerGid, mode, owner, group) = stat.Value;
        var need = write ? 6 : 4;
        var bits = ownerUid == Uid ? (mode >> 6) & 7 : Gids.Contains(ownerGid) ? (mode >> 3) & 7 : mode & 7;
        if ((bits & need) == need)
        {
            return null;
        }

        var access = write ? "read and write" : "read";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Name} cannot {access} it (owned by {owner}:{group}, mode {Convert.ToString(mode, 8)}; {Name} is {(Gids.Contains(ownerGid) ? "in" : "not in")} group {group})");
    }

    private static (int Uid, int Gid, int Mode, string Owner, string Group)? Stat(string path)
    {
        try
        {
            var info = new ProcessStartInfo("stat", ["-L", "-c", "%u %g %a %U %G", path]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd().Trim().Split(' ');
            process.WaitForExit();
            if (process.ExitCode != 0 || output.Length < 5)
            {
                return null;
            }

            return (int.Parse(output[0], CultureInfo.InvariantCulture), int.Parse(output[1], CultureInfo.InvariantCulture),
                Convert.ToInt32(output[2], 8), output[3], output[4]);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static IEnumerable<string[]> Read(string file) =>
        File.Exists(file) ? File.ReadLines(file).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':')).Where(f => f.Length >= 3) : [];
}
