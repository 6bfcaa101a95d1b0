using System.Diagnostics;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

/// <summary>
/// The whole camera pipeline service (supervised ffmpeg capture, hand-off, real ORT model, scoring) against a live
/// MJPEG camera on loopback that freezes without closing its connection.
/// </summary>
[Collection(InferenceCollection.Name)]
public sealed class CameraPipelineServiceTests : IDisposable
{
    private const int Width = 96;
    private const int Height = 72;
    private const double StallSeconds = 3;
    private readonly TempDirectory _directory = new("camera-service");
    private readonly RuntimeFixture _fixture;
    private readonly RecordingLogger _logger = new();
    private readonly List<Process> _servers = [];

    public CameraPipelineServiceTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public async Task A_frozen_camera_is_detected_after_the_stall_timeout_its_ffmpeg_restarted_and_scoring_resumes()
    {
        var port = FfmpegTool.FreeLoopbackPort();
        var server = Serve(port);
        var health = new HealthMonitor();
        using var service = CreateService(port, health);
        var pipeline = service.Pipeline!;
        var capture = service.Capture;
        await service.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() => pipeline.FramesScored >= 5, TimeSpan.FromSeconds(60), "frames scored from the live camera");
            var client = Clients(port).Should().ContainSingle().Subject;
            var restartsBefore = capture.Counters.Restarts; // the first connect may have raced the server's start

            // Frozen, not closed: the TCP connection stays open and simply carries nothing.
            FfmpegTool.Signal(server, "STOP");
            var frozenAt = Stopwatch.GetTimestamp();
            await Poll.UntilAsync(() => capture.Counters.Stalls >= 1, TimeSpan.FromSeconds(60), "the stall detected");
            Stopwatch.GetElapsedTime(frozenAt).TotalSeconds.Should().BeGreaterThan(StallSeconds - 0.5, "a stall is declared only after the configured timeout");
            await Poll.UntilAsync(() => capture.Counters.Restarts > restartsBefore, TimeSpan.FromSeconds(60), "a restart counted after the stall");
            await Poll.UntilAsync(() => !Clients(port).Contains(client), TimeSpan.FromSeconds(30),
                "the stalled ffmpeg killed");
            Status(health).Should().Be(HealthState.Degraded);
            _logger.Contains("no frame for").Should().BeTrue();
            var scoredWhileFrozen = pipeline.FramesScored;

            // The camera comes back: the frozen server, resumed, finds its client gone and exits; a new one takes the port.
            FfmpegTool.Signal(server, "CONT");
            if (!server.WaitForExit(10_000))
            {
                server.Kill();
            }

            Serve(port);
            await Poll.UntilAsync(
                () => pipeline.FramesScored >= scoredWhileFrozen + 5 && capture.State == CameraState.Streaming, TimeSpan.FromSeconds(90),
                "frames scored again after recovery");
            Status(health).Should().Be(HealthState.Healthy);
            Clients(port).Should().ContainSingle().Which.Should().NotBe(client);
            double.IsFinite(pipeline.LastScore).Should().BeTrue();
        }
        finally
        {
            await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Clients(port).Should().BeEmpty("stopping the service leaves no ffmpeg behind");
    }

    [Fact]
    public async Task A_pipeline_whose_model_cannot_be_used_runs_no_capture_and_scores_once_a_rebuild_succeeds()
    {
        var camera = new CameraOptions
        {
            Input = FfmpegTool.Generate(_directory.Combine("clip.mkv"), $"testsrc2=size={Width}x{Height}:rate=10:duration=2"),
            Loop = true, Width = Width, Height = Height, MaxFps = 10,
        };
        var queue = new RecordingQueue();
        var attempts = 0;
        CameraPipeline Build() => Interlocked.Increment(ref attempts) == 1
            ? throw new ModelUnusableException("pipeline 'live': model file '/gone/model.onnx' does not exist")
            : CreatePipeline(camera, queue);
        var health = new HealthMonitor();
        var readiness = new ReadinessGate();
        using var service = new CameraPipelineService("live", new CameraCapture("camera live", camera, _logger), Build, snapshots: null, queue,
            health, readiness, new Heartbeat("camera live loop", TimeSpan.FromSeconds(30)), NullLogger<CameraPipelineService>.Instance);
        service.Pipeline.Should().BeNull();
        service.Status.State.Should().Be("failed");
        service.Check(0).Should().Be(HealthReport.Degraded("not running: pipeline 'live': model file '/gone/model.onnx' does not exist"));

        await service.StartAsync(CancellationToken.None);
        try
        {
            (await readiness.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None)).Should().BeEmpty("a failed pipeline does not hold back READY");
            health.CheckAll().Should().ContainSingle(r => r.Name == "camera live" && r.Report.State == HealthState.Degraded);
            FfmpegTool.ChildProcessesWith(camera.Input, "pipe:1").Should().BeEmpty("no capture runs while the pipeline is not built");

            // The first retry comes about 5 s later and builds it; the capture starts then.
            await Poll.UntilAsync(() => service.Pipeline?.FramesScored >= 5 && service.Status.State == "running", TimeSpan.FromSeconds(30),
                "frames scored after the rebuild");
            service.Failure.Should().BeNull();
            service.BuildFailures.Should().Be(1);
            Status(health).Should().Be(HealthState.Healthy);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        FfmpegTool.ChildProcessesWith(camera.Input, "pipe:1").Should().BeEmpty("stopping the service leaves no ffmpeg behind");
    }

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            FfmpegTool.Stop(server);
        }

        _directory.Dispose();
    }

    /// <summary>The capture's ffmpeg processes (the server has the same URL but writes no pipe).</summary>
    private static IReadOnlyList<int> Clients(int port) => FfmpegTool.ChildProcessesWith($"127.0.0.1:{port}", "pipe:1");

    private static HealthState Status(HealthMonitor health) => HealthMonitor.Overall(health.CheckAll());

    private Process Serve(int port)
    {
        var server = FfmpegTool.ServeMjpeg(port, "testsrc2=size=320x240:rate=15");
        _servers.Add(server);
        return server;
    }

    private CameraPipelineService CreateService(int port, HealthMonitor health)
    {
        var camera = new CameraOptions
        {
            Input = $"http://127.0.0.1:{port}/cam.mjpg", Width = Width, Height = Height, MaxFps = 10,
            StallTimeoutSeconds = StallSeconds, RestartBackoffMinSeconds = 0.2, RestartBackoffMaxSeconds = 0.5,
        };
        var queue = new RecordingQueue();
        var capture = new CameraCapture("camera live", camera, _logger);
        var pipeline = CreatePipeline(camera, queue);
        return new CameraPipelineService(pipeline.Name, capture, () => pipeline, snapshots: null, queue, health, new ReadinessGate(),
            new Heartbeat("camera live loop", TimeSpan.FromSeconds(30)), NullLogger<CameraPipelineService>.Instance);
    }

    /// <summary>The pipeline with a real ORT model that scores a frame by its mean brightness (never alerting).</summary>
    private CameraPipeline CreatePipeline(CameraOptions camera, RecordingQueue queue)
    {
        var model = new OnnxModelBuilder("brightness").Input("image", TensorElementType.Float, 1, 3, Height, Width)
            .Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Node("ReduceMean", ["image"], ["score"]).Save(_directory.Combine("brightness.onnx"));
        var alert = new AlertOptions { RaiseThreshold = 1e6 };
        return new CameraPipeline("live", camera, new CameraModel(_fixture.Runtime.LoadModel(model), string.Empty, string.Empty, 3),
            new ScorerOptions { Kind = ScorerKind.Output },
            scorer => new AnomalyEventPublisher("dev", "live", alert, new AlertStateMachine(alert, null), scorer, 0, queue));
    }
}
