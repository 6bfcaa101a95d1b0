using System.Diagnostics;
using System.Globalization;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// What ffprobe says about a video file that offline replay needs for the video's own clock: its frame rate and,
/// when the file carries one, its <c>creation_time</c>. Missing ffprobe or tags give nulls, never an error.
/// </summary>
public sealed record VideoProbe(double? FramesPerSecond, DateTime? CreationTimeUtc)
{
    public static VideoProbe Run(string ffmpegPath, string file)
    {
        var directory = Path.GetDirectoryName(ffmpegPath);
        var ffprobe = string.IsNullOrEmpty(directory) ? "ffprobe" : Path.Combine(directory, "ffprobe");
        try
        {
            using var process = Process.Start(FfmpegStartInfo.Create(ffprobe,
                ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=avg_frame_rate:format_tags=creation_time", "-of", "default=noprint_wrappers=1", file],
                redirectInput: false));
            if (process is null)
            {
                return new VideoProbe(null, null);
            }

            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = stderr.Result;
            return Parse(output);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return new VideoProbe(null, null);
        }
    }

    internal static VideoProbe Parse(string output)
    {
        double? fps = null;
        DateTime? created = null;
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = line.IndexOf('=');
            if (equals < 0)
            {
                continue;
            }

            var (key, value) = (line[..equals], line[(equals + 1)..]);
            if (key == "avg_frame_rate" && value.Split('/') is [var n, var d] &&
                double.TryParse(n, CultureInfo.InvariantCulture, out var num) && double.TryParse(d, CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0)
            {
                fps = num / den;
            }
            else if (key.EndsWith("creation_time", StringComparison.Ordinal) &&
                     DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            {
                created = time;
            }
        }

        return new VideoProbe(fps, created);
    }
}
