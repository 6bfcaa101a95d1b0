using System.Diagnostics;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>A one-shot ffmpeg (cut a snapshot, join a clip): runs it to the end, returns stdout, throws with stderr on failure.</summary>
internal static class FfmpegChild
{
    public static async Task<byte[]> RunAsync(string ffmpegPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = FfmpegStartInfo.Create(ffmpegPath, arguments, redirectInput: false) };
        process.Start();
        try
        {
            var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await copy.ConfigureAwait(false);
            var stderr = await errors.ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new IOException($"ffmpeg exited with code {process.ExitCode}: {Last(stderr)}");
            }

            return output.ToArray();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static string Last(string stderr)
    {
        var trimmed = stderr.Trim();
        return trimmed.Length > 400 ? trimmed[^400..] : trimmed;
    }
}
