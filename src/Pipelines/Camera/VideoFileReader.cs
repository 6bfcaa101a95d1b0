using System.Diagnostics;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Offline decoding of a video file for <c>replay</c> and evaluation: the same ffmpeg arguments as the live capture,
/// but frames are pulled one at a time from ffmpeg's output, so none is ever dropped and a run is deterministic (the
/// live <see cref="CameraCapture"/> keeps only the newest frame, which is right for a camera and wrong for a file).
/// </summary>
public sealed class VideoFileReader : IDisposable
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly Queue<string> _errors = new();

    public VideoFileReader(CameraOptions options)
    {
        if (options.InputKind != CameraInputKind.File || options.Loop || options.ReadAtNativeRate)
        {
            throw new ArgumentException("VideoFileReader reads a file once, as fast as it decodes (no loop, not at native rate)", nameof(options));
        }

        Frame = new byte[options.Width * options.Height * (options.PixelFormat == CameraPixelFormat.Gray ? 1 : 3)];
        _process = Process.Start(FfmpegStartInfo.Create(options.FfmpegPath, FfmpegArguments.Capture(options), redirectInput: false))
            ?? throw new InvalidOperationException($"cannot start {options.FfmpegPath}");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (_errors)
                {
                    _errors.Enqueue(e.Data);
                    if (_errors.Count > 5)
                    {
                        _errors.Dequeue();
                    }
                }
            }
        };
        _process.BeginErrorReadLine();
        _output = _process.StandardOutput.BaseStream;
    }

    /// <summary>
    /// A reader of <paramref name="file"/> with <paramref name="camera"/>'s own capture settings (scaling, pixel format,
    /// frame-rate limit, decoder arguments), so what replay and calibrate-camera see is what the live capture sees.
    /// </summary>
    public static VideoFileReader Open(CameraOptions camera, string file) => new(new CameraOptions
    {
        Input = Path.GetFullPath(file), Width = camera.Width, Height = camera.Height, PixelFormat = camera.PixelFormat, MaxFps = camera.MaxFps,
        ReadAtNativeRate = false, FfmpegPath = camera.FfmpegPath, DecoderArguments = camera.DecoderArguments,
    });

    /// <summary>The pixels of the frame last read (valid until the next <see cref="TryRead"/>).</summary>
    public byte[] Frame { get; }

    /// <summary>Complete frames read so far; the frame in <see cref="Frame"/> is number FramesRead − 1 from 0.</summary>
    public long FramesRead { get; private set; }

    /// <summary>Bytes at the end of the output that did not make a whole frame (a truncated file).</summary>
    public long PartialBytes { get; private set; }

    /// <summary>ffmpeg's exit code once <see cref="TryRead"/> has returned false.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>ffmpeg's last few stderr lines.</summary>
    public string LastErrors
    {
        get
        {
            lock (_errors)
            {
                return string.Join(" | ", _errors);
            }
        }
    }

    /// <summary>Reads the next whole frame into <see cref="Frame"/>; false at the end of the video.</summary>
    public bool TryRead()
    {
        var filled = 0;
        while (filled < Frame.Length)
        {
            var read = _output.Read(Frame, filled, Frame.Length - filled);
            if (read == 0)
            {
                PartialBytes += filled;
                _process.WaitForExit();
                ExitCode = _process.ExitCode;
                return false;
            }

            filled += read;
        }

        FramesRead++;
        return true;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
