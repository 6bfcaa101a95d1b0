using System.Diagnostics;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>How every ffmpeg child is started: no shell, an argument list, and none of systemd's notify variables.</summary>
internal static class FfmpegStartInfo
{
    public static ProcessStartInfo Create(string executable, IReadOnlyList<string> arguments, bool redirectInput)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // ffmpeg is not our watchdog client: with these inherited it could notify systemd on the agent's behalf.
        start.Environment.Remove("NOTIFY_SOCKET");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("WATCHDOG_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        return start;
    }
}
