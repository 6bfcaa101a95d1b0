using System.Diagnostics;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

/// <summary>A live MJPEG camera on loopback (ffmpeg -listen 1) that dies or freezes under a supervised capture.</summary>
public sealed class CameraSupervisionTests : IDisposable
{
    private const string Scene = "testsrc2=size=320x240:rate=15";
    private readonly RecordingLogger _logger = new();
    private readonly List<Process> _servers = [];

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            FfmpegTool.Stop(server);
        }
    }

    [Fact]
    public async Task Killing_the_camera_mid_stream_leads_to_a_restart_and_recovery()
    {
        var port = FfmpegTool.FreeLoopbackPort();
        var server = Serve(port);
        var (capture, cancel, run, consumer) = Start(port, stallSeconds: 10);

        await Poll.UntilAsync(() => capture.Counters.FramesReceived >= 5, TimeSpan.FromSeconds(60), "first frames");
        capture.Check(0).State.Should().Be(HealthState.Healthy);
        var restartsBefore = capture.Counters.Restarts; // the first connect may already have raced the server's start
        server.Kill();
        await Poll.UntilAsync(() => capture.Counters.Restarts > restartsBefore, TimeSpan.FromSeconds(60), "a restart after the camera died");
        capture.Check(0).State.Should().Be(HealthState.Degraded);

        var before = capture.Counters.FramesReceived;
        Serve(port);
        await Poll.UntilAsync(
            () => capture.Counters.FramesReceived >= before + 5 && capture.State == CameraState.Streaming, TimeSpan.FromSeconds(60), "frames from the new camera");

        capture.Check(0).State.Should().Be(HealthState.Healthy);
        capture.Counters.Stalls.Should().Be(0);
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        (await consumer.WaitAsync(TimeSpan.FromSeconds(15))).Should().BeGreaterThan(5);
        _logger.Contains("restart").Should().BeTrue();
    }

    [Fact]
    public async Task A_camera_that_stops_sending_is_detected_killed_and_restarted()
    {
        var port = FfmpegTool.FreeLoopbackPort();
        var server = Serve(port);
        // The stall timeout also bounds a start, so it must cover ffmpeg's start and probe on a loaded 2-core machine.
        var (capture, cancel, run, _) = Start(port, stallSeconds: 4);

        await Poll.UntilAsync(() => capture.Counters.FramesReceived >= 5, TimeSpan.FromSeconds(60), "first frames");
        var restartsBefore = capture.Counters.Restarts;
        FfmpegTool.Signal(server, "STOP");
        await Poll.UntilAsync(() => capture.Counters.Stalls >= 1, TimeSpan.FromSeconds(60), "the stall detected");
        await Poll.UntilAsync(() => capture.Counters.Restarts > restartsBefore, TimeSpan.FromSeconds(60), "a restart after the stall");
        capture.Check(0).State.Should().Be(HealthState.Degraded);

        server.Kill();
        var before = capture.Counters.FramesReceived;
        Serve(port);
        await Poll.UntilAsync(
            () => capture.Counters.FramesReceived >= before + 5 && capture.State == CameraState.Streaming, TimeSpan.FromSeconds(60), "recovery");
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        _logger.Contains("no frame for").Should().BeTrue();
    }

    [Fact]
    public async Task An_unreachable_url_is_reported_and_counted_and_never_blocks()
    {
        var port = FfmpegTool.FreeLoopbackPort();
        var (capture, cancel, run, consumer) = Start(port, stallSeconds: 5);

        await Poll.UntilAsync(() => capture.Counters.Restarts >= 2, TimeSpan.FromSeconds(60), "restarts against a closed port");
        var health = capture.Check(0);
        await cancel.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));

        health.State.Should().Be(HealthState.Degraded);
        health.Summary.Should().Contain("127.0.0.1");
        capture.Counters.FramesReceived.Should().Be(0);
        (await consumer.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(0);
    }

    private Process Serve(int port)
    {
        var server = FfmpegTool.ServeMjpeg(port, Scene);
        _servers.Add(server);
        return server;
    }

    private (CameraCapture Capture, CancellationTokenSource Cancel, Task Run, Task<int> Consumer) Start(int port, double stallSeconds)
    {
        var capture = new CameraCapture("camera live", new CameraOptions
        {
            Input = $"http://127.0.0.1:{port}/cam.mjpg", Width = 96, Height = 72, MaxFps = 10,
            StallTimeoutSeconds = stallSeconds, RestartBackoffMinSeconds = 0.2, RestartBackoffMaxSeconds = 0.5,
        }, _logger);
        var cancel = new CancellationTokenSource();
        var run = capture.RunAsync(cancel.Token);
        var consumer = Task.Run(async () =>
        {
            var count = 0;
            while (await capture.Frames.TakeAsync() is { } frame)
            {
                count++;
                capture.Frames.Return(frame);
            }

            return count;
        });
        return (capture, cancel, run, consumer);
    }
}
