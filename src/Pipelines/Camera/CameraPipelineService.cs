using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// One camera pipeline's long-running loop: the supervised capture fills the newest-wins hand-off, this loop scores
/// the newest frame, and on anomaly_start a JPEG snapshot is encoded off the loop and published retained to
/// <c>snapshots/&lt;pipeline&gt;</c>. The camera counts as started for READY once it streams; a camera that never
/// comes up only delays READY by the grace period and reports Degraded health, it never stops other pipelines.
/// A model that cannot be used (exit code 65 problems) takes down only this pipeline, as for sensor pipelines: it is
/// reported failed and rebuilt with backoff (<see cref="RetriedPipelineBuild{T}"/>); the capture starts once it builds.
/// </summary>
public sealed partial class CameraPipelineService : BackgroundService
{
    private readonly CameraCapture _capture;
    private readonly RetriedPipelineBuild<CameraPipeline> _build;
    private readonly SnapshotWriter? _snapshots;
    private readonly Recording.EventRecording? _recording;
    private readonly IOutboundQueue _queue;
    private readonly HealthMonitor _health;
    private readonly Heartbeat _heartbeat;
    private readonly ILogger _logger;
    private readonly byte[] _snapshotTopic;
    private readonly LogRateLimiter _errorLimiter = new(burst: 5, TimeSpan.FromMinutes(1));
    private volatile bool _waiting;
    private long _snapshotsPublished;
    private long _snapshotFailures;

    /// <param name="build">Builds the pipeline (loads its model); throws <see cref="ModelUnusableException"/> when its model cannot be used.</param>
    /// <param name="maxRetry">The longest wait between two attempts to build a failed pipeline.</param>
    public CameraPipelineService(string name, CameraCapture capture, Func<CameraPipeline> build, SnapshotWriter? snapshots, IOutboundQueue queue,
        HealthMonitor health, ReadinessGate readiness, Heartbeat heartbeat, ILogger<CameraPipelineService> logger, TimeSpan? maxRetry = null,
        Recording.EventRecording? recording = null)
    {
        PipelineName = name;
        _recording = recording;
        _capture = capture;
        _snapshots = snapshots;
        _queue = queue;
        _health = health;
        _heartbeat = heartbeat;
        _logger = logger;
        _snapshotTopic = MqttTopics.Snapshot(name);
        var readinessName = "camera " + name;
        _build = new RetriedPipelineBuild<CameraPipeline>("Camera pipeline", name, build, readiness, readinessName, logger, maxRetry);
        capture.StateChanged += state =>
        {
            if (state == CameraState.Streaming)
            {
                readiness.Started(readinessName);
            }
        };
        _build.TryBuild();
    }

    public string PipelineName { get; }

    /// <summary>The running pipeline; null while it could not be built (see <see cref="Failure"/>).</summary>
    public CameraPipeline? Pipeline => _build.Built;

    /// <summary>Why the pipeline is not running (null when it runs).</summary>
    public string? Failure => _build.Failure;

    /// <summary>Attempts to build the pipeline that failed, the first one at start included.</summary>
    public long BuildFailures => _build.Failures;

    public CameraCapture Capture => _capture;

    public long SnapshotsPublished => Interlocked.Read(ref _snapshotsPublished);

    public long SnapshotFailures => Interlocked.Read(ref _snapshotFailures);

    /// <summary>The snapshot writer (and its thumbnails); null when snapshots are off.</summary>
    public SnapshotWriter? Snapshots => _snapshots;

    /// <summary>The recording ring, snapshots from it and event clips; null when camera.recording is off.</summary>
    public Recording.EventRecording? Recording => _recording;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _build.RunAsync(_health, this, RunAsync, stoppingToken);

    private async Task RunAsync(CameraPipeline pipeline, CancellationToken stoppingToken)
    {
        _health.Register(_heartbeat);
        LogStarted(_logger, PipelineName, _capture.Arguments.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var capture = Task.Run(() => _capture.RunAsync(stop.Token), CancellationToken.None);
        var idleBeats = BeatWhileIdleAsync(pipeline, stop.Token);
        var maintenance = _recording?.MaintainAsync(stop.Token) ?? Task.CompletedTask;
        var modelErrors = ModelErrorLog.WatchAsync(pipeline.Slot, PipelineName, _logger, stop.Token);
        var pending = new List<Task>();
        try
        {
            await RunLoopAsync(pipeline, pending, stoppingToken).ConfigureAwait(false);
            LogFinished(_logger, PipelineName, pipeline.FramesScored, pipeline.FramesSkipped);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await capture.ConfigureAwait(false);
            await idleBeats.ConfigureAwait(false);
            await maintenance.ConfigureAwait(false);
            await modelErrors.ConfigureAwait(false);
            await Task.WhenAll(pending).ConfigureAwait(false);
            _health.Unregister(_heartbeat);
        }
    }

    private async Task RunLoopAsync(CameraPipeline pipeline, List<Task> pending, CancellationToken cancellationToken)
    {
        var lastRestarts = 0L;
        while (true)
        {
            _waiting = true;
            var frame = await _capture.Frames.TakeAsync(cancellationToken).ConfigureAwait(false);
            _waiting = false;
            if (frame is null)
            {
                return;
            }

            try
            {
                var restarts = _capture.Counters.Restarts;
                if (restarts != lastRestarts)
                {
                    lastRestarts = restarts;
                    pipeline.ResetMotion();
                }

                var now = DateTime.UtcNow.Ticks;
                var transition = pipeline.OnFrame(frame.Pixels, frame.Timestamp, now);
                if (transition == AlertTransition.Started && _snapshots is not null)
                {
                    // WriteAsync copies the frame before it returns, so the buffer goes back to the capture at once; with
                    // recording on, the snapshot is cut at full resolution from the ring instead (no copy on the loop).
                    pending.RemoveAll(t => t.IsCompleted);
                    pending.Add(PublishSnapshotAsync(_recording is not null
                        ? _recording.Snapshot(_snapshots, pipeline, new DateTime(now, DateTimeKind.Utc), cancellationToken)
                        : _snapshots.WriteAsync(frame, pipeline.Detections, new DateTimeOffset(now, TimeSpan.Zero), pipeline.Alert.AlertId, cancellationToken)));
                }

                if (transition != AlertTransition.None && _recording?.OnTransition(transition, pipeline.Alert, new DateTime(now, DateTimeKind.Utc), cancellationToken) is { } clip)
                {
                    pending.Add(LogClipAsync(clip));
                }
            }
            finally
            {
                _capture.Frames.Return(frame);
            }

            _heartbeat.Beat();
        }
    }

    private async Task PublishSnapshotAsync(Task<Snapshot> encoding)
    {
        try
        {
            var snapshot = await encoding.ConfigureAwait(false);
            _queue.Enqueue(_snapshotTopic, snapshot.Jpeg, MessageOptions.RetainedState);
            Interlocked.Increment(ref _snapshotsPublished);
            LogSnapshot(_logger, PipelineName, snapshot.Path, snapshot.Jpeg.Length);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The alert itself is already published; a snapshot that cannot be made is counted and logged, not fatal.
            var failures = Interlocked.Increment(ref _snapshotFailures);
            if (_errorLimiter.TryAcquire(System.Diagnostics.Stopwatch.GetTimestamp(), out _))
            {
                LogSnapshotFailed(_logger, PipelineName, failures, ex.Message);
            }
        }
    }

    private async Task LogClipAsync(Task<Recording.Clip?> writing)
    {
        try
        {
            if (await writing.ConfigureAwait(false) is { } clip)
            {
                LogClip(_logger, PipelineName, clip.Path, clip.Bytes, (clip.End - clip.Start).TotalSeconds);
            }
            else if (_errorLimiter.TryAcquire(System.Diagnostics.Stopwatch.GetTimestamp(), out _))
            {
                LogClipDropped(_logger, PipelineName, _recording!.Clips!.Dropped, _recording.Clips.LastError);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Once a second: the frame rates for STATUS and telemetry, and a heartbeat while waiting for frames.</summary>
    private async Task BeatWhileIdleAsync(CameraPipeline pipeline, CancellationToken cancellationToken)
    {
        // Waiting for a camera that is down is idle, not wedged: the watchdog must not restart the agent for it.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                SampleRates(pipeline);
                if (_waiting)
                {
                    _heartbeat.Beat();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Camera pipeline {Pipeline} running (ffmpeg with {Arguments} arguments)")]
    private static partial void LogStarted(ILogger logger, string pipeline, int arguments);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "Camera pipeline {Pipeline}: input ended after {Scored} scored and {Skipped} skipped frames")]
    private static partial void LogFinished(ILogger logger, string pipeline, long scored, long skipped);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Information, Message = "Camera pipeline {Pipeline}: snapshot {Path} ({Bytes} bytes) published")]
    private static partial void LogSnapshot(ILogger logger, string pipeline, string path, int bytes);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Camera pipeline {Pipeline}: snapshot failed ({Failures} so far): {Reason}")]
    private static partial void LogSnapshotFailed(ILogger logger, string pipeline, long failures, string reason);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Camera pipeline {Pipeline}: clip {Path} ({Bytes} bytes, {Seconds:0.0} s) written")]
    private static partial void LogClip(ILogger logger, string pipeline, string path, long bytes, double seconds);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Camera pipeline {Pipeline}: clip dropped ({Dropped} so far): {Reason}")]
    private static partial void LogClipDropped(ILogger logger, string pipeline, long dropped, string reason);
}
