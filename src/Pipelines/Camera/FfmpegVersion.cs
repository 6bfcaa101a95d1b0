using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Which spelling of "deliver every decoded frame once" an ffmpeg understands: <c>-fps_mode</c> since 5.1,
/// <c>-vsync</c> before (Ubuntu 22.04 and stock Jetson images ship 4.4, where <c>-fps_mode</c> is an error). Asked
/// once per executable; an ffmpeg that cannot be run or whose version is not a release number (a git build) gets
/// the modern option, and a missing ffmpeg is reported by the capture itself.
/// </summary>
public static partial class FfmpegVersion
{
    private static readonly ConcurrentDictionary<string, bool> FpsModeByPath = new(StringComparer.Ordinal);

    public static IReadOnlyList<string> PassthroughArguments(string ffmpegPath) =>
        FpsModeByPath.GetOrAdd(ffmpegPath, SupportsFpsMode) ? ["-fps_mode", "passthrough"] : ["-vsync", "passthrough"];

    /// <summary>True for "ffmpeg version 5.1.x" and later; false for older releases.</summary>
    internal static bool IsFpsModeRelease(string versionLine)
    {
        var match = Release().Match(versionLine);
        if (!match.Success)
        {
            return true;
        }

        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return major > 5 || (major == 5 && minor >= 1);
    }

    private static bool SupportsFpsMode(string ffmpegPath)
    {
        try
        {
            using var process = Process.Start(FfmpegStartInfo.Create(ffmpegPath, ["-hide_banner", "-version"], redirectInput: false));
            if (process is null)
            {
                return true;
            }

            var first = process.StandardOutput.ReadLine() ?? string.Empty;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            return IsFpsModeRelease(first);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true;
        }
    }

    [GeneratedRegex(@"^ffmpeg version n?(\d+)\.(\d+)")]
    private static partial Regex Release();
}
