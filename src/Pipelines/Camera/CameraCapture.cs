using System.ComponentModel;
using System.Diagnostics;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Supervises one ffmpeg process that decodes a camera to raw frames: starts it, reads exact-size frames into the
/// <see cref="Frames"/> hand-off, restarts it with exponential backoff and jitter when it exits, and kills it when
/// no frame has arrived for the stall timeout. Run <see cref="RunAsync"/> from one BackgroundService. A camera that
/// is down reports Degraded health and never throws out of the loop, so other pipelines are unaffected.
/// </summary>
public sealed partial class CameraCapture : IHealthSource
{
    private readonly CameraOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<string> _arguments;
    private readonly LogRateLimiter _stderrLimiter = new(burst: 20, TimeSpan.FromMinutes(1));
    private readonly Random _random;
    private readonly long _stallTicks;
    private volatile CameraState _state = CameraState.Starting;
    private volatile string _lastError = string.Empty;
    private volatile bool _stalled;
    private volatile int _failuresInRow;
    private long _lastFrameTicks;
    private long _framesReceived;
    private long _partialFrames;
    private long _restarts;
    private long _stalls;
    private long _startFailures;

    public CameraCapture(string name, CameraOptions options, ILogger logger)
        : this(name, options, logger, Random.Shared)
    {
    }

    /// <param name="ring">The recording ring whose segment output each ffmpeg start also writes (one process, two roles); null: model frames only.</param>
    public CameraCapture(string name, CameraOptions options, ILogger logger, Recording.SegmentRing? ring)
        : this(name, options, logger, Random.Shared)
    {
        Ring = ring;
    }

    internal CameraCapture(string name, CameraOptions options, ILogger logger, Random random)
    {
        Name = name;
        _options = options;
        _logger = logger;
        _random = random;
        _arguments = FfmpegArguments.Capture(options);
        _stallTicks = (long)(options.StallTimeoutSeconds * Stopwatch.Frequency);
        Frames = new FrameHandoff(options.Width, options.Height, options.PixelFormat);
    }

    /// <summary>The health source name, e.g. <c>camera front-door</c>.</summary>
    public string Name { get; }

    /// <summary>Where the consumer takes the newest frame from.</summary>
    public FrameHandoff Frames { get; }

    public CameraState State => _state;

    /// <summary>The last reason the camera was down (ffmpeg's last stderr line, exit code, missing executable).</summary>
    public string LastError => _lastError;

    /// <summary>Raised on the supervising thread after every state change; keep handlers short (e.g. ReadinessGate.Started on Streaming).</summary>
    public event Action<CameraState>? StateChanged;

    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>The recording ring fed by the same ffmpeg, or null.</summary>
    public Recording.SegmentRing? Ring { get; }

    /// <summary>The last ffmpeg run ended in a stall and no frame has arrived since.</summary>
    public bool Stalled => _stalled;

    /// <summary>ffmpeg runs that ended in a row (the first of them may have streamed); 0 while streaming. Sets the backoff.</summary>
    public int FailuresInRow => _failuresInRow;

    public CameraCounters Counters => new(
        Interlocked.Read(ref _framesReceived),
        Frames.Dropped,
        Interlocked.Read(ref _partialFrames),
        Interlocked.Read(ref _restarts),
        Interlocked.Read(ref _stalls),
        Interlocked.Read(ref _startFailures),
        _state);

    public HealthReport Check(long nowTicks)
    {
        var state = _state;
        return state switch
        {
            CameraState.Streaming => HealthReport.Healthy($"streaming, {Interlocked.Read(ref _framesReceived)} frames, {Interlocked.Read(ref _restarts)} restarts"),
            CameraState.Ended => HealthReport.Healthy("input ended"),
            CameraState.Stopped => HealthReport.Healthy("stopped"),
            _ => HealthReport.Degraded(_lastError.Length == 0
                ? state.ToString().ToLowerInvariant()
                : $"{state.ToString().ToLowerInvariant()}: {_lastError}"),
        };
    }

    /// <summary>
    /// Captures until <paramref name="cancellationToken"/> fires or a non-looped file ends; then completes
    /// <see cref="Frames"/> so the consumer sees the end. Recovers from every ffmpeg failure by itself.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                SetState(CameraState.Starting);
                LogStarting(_logger, Name, _options.Input);
                Process process;
                try
                {
                    process = StartFfmpeg();
                }
                catch (Win32Exception ex)
                {
                    Interlocked.Increment(ref _startFailures);
                    _lastError = $"cannot run ffmpeg '{_options.FfmpegPath}' ({ex.Message}); install it (apt-get install ffmpeg) or set camera.ffmpegPath";
                    SetState(CameraState.Failed);
                    _failuresInRow++;
                    var slow = RestartDelay(int.MaxValue);
                    LogStartFailed(_logger, Name, _lastError, slow.TotalSeconds);
                    await Task.Delay(slow, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var framesBefore = Interlocked.Read(ref _framesReceived);
                var outcome = await SuperviseAsync(process, framesBefore, cancellationToken).ConfigureAwait(false);
                if (outcome == RunOutcome.Cancelled)
                {
                    break;
                }

                if (outcome == RunOutcome.Reconfigure)
                {
                    continue;
                }

                if (outcome == RunOutcome.Ended)
                {
                    LogEnded(_logger, Name, Interlocked.Read(ref _framesReceived));
                    SetState(CameraState.Ended);
                    return;
                }

                _failuresInRow = Interlocked.Read(ref _framesReceived) > framesBefore ? 1 : _failuresInRow + 1;
                var delay = RestartDelay(_failuresInRow - 1);
                SetState(CameraState.Restarting);
                var restart = Interlocked.Increment(ref _restarts);
                if (outcome == RunOutcome.Exited)
                {
                    LogExited(_logger, Name, _lastExitCode, _lastError, restart, delay.TotalSeconds);
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_state != CameraState.Ended)
            {
                SetState(CameraState.Stopped);
            }

            Frames.Complete();
        }
    }

    /// <summary>Equal jitter (half fixed, half random) so that cameras that fail together spread out.</summary>
    private TimeSpan RestartDelay(int failures) => Backoff.Delay(failures, TimeSpan.FromSeconds(_options.RestartBackoffMinSeconds),
        TimeSpan.FromSeconds(_options.RestartBackoffMaxSeconds), BackoffJitter.Equal, _random);

    private void SetState(CameraState state)
    {
        if (_state == state)
        {
            return;
        }

        _state = state;
        StateChanged?.Invoke(state);
    }

    private enum RunOutcome
    {
        Exited,
        Stalled,
        Ended,
        Cancelled,

        /// <summary>Killed on purpose to start again with other outputs (the recording suspended or resumed).</summary>
        Reconfigure,
    }
}
