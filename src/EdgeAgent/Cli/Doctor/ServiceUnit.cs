using System.Globalization;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// The installed <c>edgeagent.service</c> as far as the doctor needs it: where it is, the user the agent runs as (with
/// its supplementary groups, which give it the devices), and the watchdog. Null from <see cref="Find"/> when no unit is
/// installed: the agent then runs as whoever starts it.
/// </summary>
internal sealed record ServiceUnit(string Path, string User, IReadOnlyList<string> SupplementaryGroups, TimeSpan Watchdog)
{
    private static readonly string[] Places = ["/etc/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"];

    public static ServiceUnit? Find(string? root = null)
    {
        foreach (var place in Places)
        {
            var path = System.IO.Path.Combine(root ?? "/", place.TrimStart('/'), "edgeagent.service");
            if (File.Exists(path))
            {
                return Parse(path, File.ReadAllLines(path));
            }
        }

        return null;
    }

    internal static ServiceUnit Parse(string path, IEnumerable<string> lines)
    {
        var user = "root";
        var groups = new List<string>();
        var watchdog = TimeSpan.Zero;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals < 0)
            {
                continue;
            }

            var (key, value) = (line[..equals].Trim(), line[(equals + 1)..].Trim());
            switch (key)
            {
                case "User":
                    user = value;
                    break;
                case "SupplementaryGroups":
                    groups.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "WatchdogSec":
                    watchdog = Seconds(value);
                    break;
            }
        }

        return new ServiceUnit(path, user, groups, watchdog);
    }

    /// <summary>systemd's time spans as the unit writes them: "30", "30s", "1min", "500ms"; 0 or "infinity" is off.</summary>
    private static TimeSpan Seconds(string value)
    {
        var number = new string([.. value.TakeWhile(c => char.IsDigit(c) || c == '.')]);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
        {
            return TimeSpan.Zero;
        }

        return value[number.Length..].Trim() switch
        {
            "ms" or "msec" => TimeSpan.FromMilliseconds(amount),
            "min" or "m" => TimeSpan.FromMinutes(amount),
            "h" or "hr" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
    }
}
