using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EdgeAgent.Pipelines.Camera;

public sealed partial class CameraCapture
{
    private int _lastExitCode;
    private volatile int _pipeCapacity;

    /// <summary>Bytes the pipe from the current ffmpeg holds (0 before the first start or if unknown).</summary>
    internal int PipeCapacity => _pipeCapacity;

    private Process StartFfmpeg()
    {
        // The recording output is decided at each start: a disk that filled up drops it, and the model frames go on.
        var arguments = Ring is null ? _arguments : [.. _arguments, .. Ring.OutputArguments()];
        var process = new Process { StartInfo = FfmpegStartInfo.Create(_options.FfmpegPath, arguments, redirectInput: false) };
        process.Start();
        return process;
    }

    /// <summary>One ffmpeg run: reads frames until it exits, stalls or the caller cancels; always leaves it dead.</summary>
    private async Task<RunOutcome> SuperviseAsync(Process process, long framesBefore, CancellationToken cancellationToken)
    {
        using var owned = process;
        Volatile.Write(ref _lastFrameTicks, Stopwatch.GetTimestamp());
        var stdout = process.StandardOutput.BaseStream;
        _pipeCapacity = Platform.Native.PipeCapacity.Grow(stdout, _options.FrameBytes);
        var reader = Task.Factory.StartNew(
            () => ReadFrames(stdout), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var readFrames = ReadFramesAsync(reader, stdout);
        var stderr = PumpStderrAsync(process.StandardError);
        var interval = TimeSpan.FromSeconds(Math.Clamp(_options.StallTimeoutSeconds / 5, 0.05, 0.5));
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (readFrames.IsCompleted)
                {
                    await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                    _lastExitCode = process.ExitCode;
                    await stderr.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                    // A file that was read (fully, or until a corrupt tail) is finished: restarting would replay it.
                    if (_options.InputKind == CameraInputKind.File && !_options.Loop &&
                        (_lastExitCode == 0 || Interlocked.Read(ref _framesReceived) > framesBefore))
                    {
                        return RunOutcome.Ended;
                    }

                    if (_lastError.Length == 0 || _lastExitCode == 0)
                    {
                        _lastError = $"ffmpeg exited with code {_lastExitCode}";
                    }

                    return RunOutcome.Exited;
                }

                var silent = Stopwatch.GetTimestamp() - Volatile.Read(ref _lastFrameTicks);
                if (silent > _stallTicks)
                {
                    var stalls = Interlocked.Increment(ref _stalls);
                    _stalled = true;
                    _lastError = $"no frame for {(double)silent / Stopwatch.Frequency:0.0}s (stall timeout {_options.StallTimeoutSeconds}s)";
                    SetState(CameraState.Stalled);
                    LogStalled(_logger, Name, (double)silent / Stopwatch.Frequency, stalls);
                    return RunOutcome.Stalled;
                }

                if (Ring is { RestartWanted: true } ring)
                {
                    // The disk filled up (stop writing segments) or has room again (write them again): the segment
                    // output is chosen at each start, so ffmpeg restarts at once; this is no failure.
                    LogRecordingChange(_logger, Name, ring.Recording ? "suspend" : "resume", ring.FreeBytes() / (1024 * 1024), ring.Directory);
                    return RunOutcome.Reconfigure;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return RunOutcome.Cancelled;
        }
        catch (TimeoutException)
        {
            // Stdout closed but the process lingers: treat as an exit; the kill below makes it one.
            _lastError = "ffmpeg closed its output but did not exit";
            return RunOutcome.Exited;
        }
        finally
        {
            Kill(process);
            // The reader ends once the pipe closes with the process; the stderr pump likewise.
            await Task.WhenAny(Task.WhenAll(readFrames, stderr), Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        }

        return RunOutcome.Cancelled;
    }

    private static async Task ReadFramesAsync(Task reader, Stream stdout)
    {
        try
        {
            await reader.ConfigureAwait(false);
        }
        finally
        {
            await stdout.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: false);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>
    /// The reading thread: blocking reads of exactly one frame at a time into the hand-off's write buffer. Blocking
    /// reads on a dedicated thread allocate nothing per frame; the supervisor ends them by killing ffmpeg.
    /// </summary>
    private void ReadFrames(Stream stdout)
    {
        var frameBytes = _options.FrameBytes;
        var announced = false;
        try
        {
            while (true)
            {
                var buffer = Frames.WriteTarget.Buffer;
                var filled = 0;
                while (filled < frameBytes)
                {
                    var read = stdout.Read(buffer, filled, frameBytes - filled);
                    if (read == 0)
                    {
                        if (filled > 0)
                        {
                            Interlocked.Increment(ref _partialFrames);
                            LogPartialFrame(_logger, Name, filled, frameBytes);
                        }

                        return;
                    }

                    filled += read;
                }

                var now = Stopwatch.GetTimestamp();
                Volatile.Write(ref _lastFrameTicks, now);
                var sequence = Interlocked.Increment(ref _framesReceived);
                Frames.Publish(sequence, now);
                if (!announced)
                {
                    announced = true;
                    _lastError = string.Empty;
                    _stalled = false;
                    _failuresInRow = 0;
                    SetState(CameraState.Streaming);
                    LogStreaming(_logger, Name, _options.Width, _options.Height, _options.PixelFormat);
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke because the supervisor killed ffmpeg; the supervisor records why.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PumpStderrAsync(StreamReader stderr)
    {
        var previous = string.Empty;
        var repeats = 0L;
        try
        {
            while (await stderr.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                _lastError = line.Length > 300 ? line[..300] : line;

                // ffmpeg repeats some warnings for every frame (e.g. swscaler's "deprecated pixel format" for MJPEG),
                // differing only in object addresses: log such a line once and count the repeats.
                var key = ObjectAddress().Replace(line, string.Empty);
                if (key == previous)
                {
                    repeats++;
                    continue;
                }

                if (repeats > 0)
                {
                    LogStderrRepeated(_logger, Name, repeats);
                    repeats = 0;
                }

                previous = key;
                if (_stderrLimiter.TryAcquire(Stopwatch.GetTimestamp(), out var suppressed))
                {
                    if (suppressed > 0)
                    {
                        LogStderrAfterSuppressed(_logger, Name, line, suppressed);
                    }
                    else
                    {
                        LogStderr(_logger, Name, line);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    [GeneratedRegex(" @ 0x[0-9a-f]+")]
    private static partial Regex ObjectAddress();
}
