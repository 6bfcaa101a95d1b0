using System.Diagnostics;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// A one-shot ffmpeg (encode a snapshot, cut a frame from the ring, make a thumbnail, join a clip): feeds
/// <c>input</c> to its stdin if given, runs it to the end, returns its stdout, and throws <see cref="IOException"/>
/// with the end of its stderr when it fails or writes nothing it was asked to write. The long-running capture
/// ffmpeg is <see cref="CameraCapture"/>'s; this is every other child.
/// </summary>
internal static class FfmpegChild
{
    public static async Task<byte[]> RunAsync(string ffmpegPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        ReadOnlyMemory<byte>? input = null)
    {
        using var process = new Process { StartInfo = FfmpegStartInfo.Create(ffmpegPath, arguments, redirectInput: input is not null) };
        process.Start();
        try
        {
            // Drain stdout and stderr while stdin is fed, so no pipe fills up and blocks ffmpeg.
            var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is { } bytes)
            {
                try
                {
                    await using var stdin = process.StandardInput.BaseStream;
                    await stdin.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // ffmpeg quit before reading it all (broken pipe); its exit code and stderr say why, below.
                }
            }

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
