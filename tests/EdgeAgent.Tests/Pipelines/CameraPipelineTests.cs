using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// Camera pipelines in the real executable: ffmpeg decodes a generated video, ONNX Runtime scores it with a model
/// written by our model builder (mean brightness), events and the retained snapshot go through a real broker.
/// </summary>
[Trait("Category", "Process")]
public sealed class CameraPipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task An_object_in_the_video_gives_one_start_one_end_and_a_retained_snapshot()
    {
        // A black scene with a white box for 2.5 s: the box raises the mean brightness from 0 to about 0.25.
        var video = FfmpegTool.Generate(_dir.Combine("box.mkv"),
            "color=c=black:size=160x120:rate=10:duration=8,drawbox=x=40:y=30:w=80:h=60:color=white:t=fill:enable='between(t,3,5.5)'");
        var config = WriteConfig(video, raiseThreshold: 0.1);
        _broker.Start();
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/test-device/+/cam");
        using var agent = AgentProcess.Start(["run", "--config", config]);

        IReadOnlyList<MqttSubscriber.Received> messages;
        try
        {
            messages = await subscriber.WaitForAsync(
                m => m.Any(e => e.Payload.Contains("\"anomaly_end\"", StringComparison.Ordinal)) && m.Any(e => e.Topic.Contains("/snapshots/", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "anomaly_end and a snapshot");
            // The video has ended; anything still to come would be a second alert.
            await Task.Delay(TimeSpan.FromSeconds(2));
            messages = subscriber.Messages;
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        var events = messages.Where(m => m.Topic == "edgeagent/test-device/events/cam")
            .Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("type").GetString()).ToList();
        events.Should().Equal(["anomaly_start", "anomaly_end"], agent.StandardError);
        messages.Count(m => m.Topic == "edgeagent/test-device/snapshots/cam").Should().Be(1);
        Directory.GetFiles(_dir.Combine("state", "snapshots", "cam"), "*.jpg").Should().ContainSingle();

        using var late = new MqttSubscriber(_broker.Port, "edgeagent/test-device/snapshots/cam");
        var retained = await late.WaitForAsync(m => m.Count > 0, TimeSpan.FromSeconds(10), "the retained snapshot");
        retained[0].Retained.Should().BeTrue();

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task A_model_whose_input_is_not_an_image_takes_down_only_its_pipeline_and_is_reported()
    {
        var model = new OnnxModelBuilder("vector").Input("x", TensorElementType.Float, 1, 10).Output("y", TensorElementType.Float, 1, 10)
            .Node("Identity", ["x"], ["y"]).Save(_dir.Combine("vector.onnx"));
        var config = WriteConfig(_dir.Combine("none.mkv"), raiseThreshold: 0.1, modelPath: model);
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var agent = AgentProcess.Start(["run", "--config", config, "--set", "mqtt.enabled=false"],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.Address });
        try
        {
            await listener.WaitForReadyThenAsync(l => l.Contains("camera cam: not running", StringComparison.Ordinal) && l.Contains("is not an image tensor", StringComparison.Ordinal),
                "STATUS naming the failed camera pipeline", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain("Camera pipeline cam is not running").And.Contain("is not an image tensor");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task A_camera_pipeline_whose_model_is_damaged_is_reported_failed_and_recovers_when_the_model_is_replaced()
    {
        var video = FfmpegTool.Generate(_dir.Combine("clip.mkv"), "testsrc2=size=160x120:rate=10:duration=2");
        var good = BrightnessModel(_dir.Combine("good.onnx"));
        // The installed model is damaged (a bad SD card sector, an interrupted copy).
        var model = _dir.Combine("model.onnx");
        var bytes = File.ReadAllBytes(good);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
        var config = WriteConfig(video, raiseThreshold: 10, modelPath: model, camera: c => c["loop"] = true);
        _broker.Start();
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var systemd = new NotifySocketListener(_dir.Combine("notify.sock"));
        // A 2 s watchdog makes the agent refresh STATUS every second.
        using var agent = AgentProcess.Start(["run", "--config", config, "--set", "telemetry.intervalSeconds=1"],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = systemd.Address, ["WATCHDOG_USEC"] = "2000000" });
        try
        {
            var failed = await TelemetryReports.WaitForPipelineAsync(telemetry, "cam", c => c.GetProperty("state").GetString() == "failed", TimeSpan.FromSeconds(30));
            failed.GetProperty("error").GetString().Should().Contain("pipeline 'cam'");
            failed.GetProperty("buildFailures").GetInt64().Should().BeGreaterThanOrEqualTo(1);
            await systemd.WaitForReadyThenAsync(l => l.Contains("camera cam: not running: pipeline 'cam'", StringComparison.Ordinal),
                "STATUS naming the failed camera pipeline", TimeSpan.FromSeconds(30));

            // Replaced as an installer would (renamed over it); the next rebuild, 5 s after start or later, finds it.
            File.Copy(good, model + ".new");
            File.Move(model + ".new", model, overwrite: true);
            await TelemetryReports.WaitForPipelineAsync(telemetry, "cam",
                c => c.GetProperty("state").GetString() == "running" && c.GetProperty("framesScored").GetInt64() > 0 && c.GetProperty("fpsOut").GetDouble() > 0,
                TimeSpan.FromSeconds(30));
            await systemd.WaitForAsync(l => l.StartsWith("STATUS=healthy", StringComparison.Ordinal) && l.Contains("camera cam: running, ", StringComparison.Ordinal),
                "STATUS with the recovered camera running", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain("Camera pipeline cam is not running").And.Contain("Camera pipeline cam recovered");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task Killing_the_serving_camera_restarts_the_capture_and_the_pipeline_scores_the_new_stream()
    {
        var port = FfmpegTool.FreeLoopbackPort();
        var config = WriteConfig($"http://127.0.0.1:{port}/cam.mjpg", raiseThreshold: 0.3,
            camera: c => { c["restartBackoffMinSeconds"] = 0.2; c["restartBackoffMaxSeconds"] = 1; c["stallTimeoutSeconds"] = 5; });
        _broker.Start();
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/cam");
        var camera = FfmpegTool.ServeMjpeg(port, "color=c=black:size=160x120:rate=10");
        using var agent = AgentProcess.Start(["run", "--config", config]);
        try
        {
            await agent.WaitForLogAsync("streaming", StringComparison.OrdinalIgnoreCase);
            FfmpegTool.Stop(camera);
            await agent.WaitForLogAsync("restart 1", StringComparison.OrdinalIgnoreCase);
            // The camera comes back showing something bright: only a recovered capture can raise the alert.
            camera = FfmpegTool.ServeMjpeg(port, "color=c=white:size=160x120:rate=10");
            await subscriber.WaitForAsync(m => m.Any(e => e.Payload.Contains("\"anomaly_start\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "anomaly_start after the restart");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }
        finally
        {
            FfmpegTool.Stop(camera);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task A_camera_that_never_comes_up_delays_ready_only_by_the_grace_period()
    {
        var config = WriteConfig($"http://127.0.0.1:{FfmpegTool.FreeLoopbackPort()}/absent.mjpg", raiseThreshold: 0.3,
            camera: c => c["restartBackoffMinSeconds"] = 0.5, grace: 3);
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var agent = AgentProcess.Start(["run", "--config", config, "--set", "mqtt.enabled=false"],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.Address });

        await listener.WaitForAsync("READY=1", TimeSpan.FromSeconds(60));

        started.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2.5), "READY waits for the camera until the grace period ends");
        agent.StandardError.Should().Contain("going ready without them: camera cam");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task Replay_runs_the_bundled_scene_model_over_a_video_and_prints_one_start_and_one_end()
    {
        // The bundled model was learnt on colour bars with sensor noise; here a white object stands in them for 2 s.
        var video = FfmpegTool.Generate(_dir.Combine("bars.mkv"),
            "smptebars=size=320x240:rate=10:duration=10,noise=alls=6:allf=t:all_seed=7,drawbox=x=100:y=80:w=60:h=50:color=white:t=fill:enable='between(t,4,6)'",
            codec: "ffv1");
        var (code, stdout, stderr) = await AgentProcess.RunAsync(
            ["replay", "--config", RepositoryPaths.File("config", "camera-example.json"), "--pipeline", "yard", "--input", video, "--json"]);

        code.Should().Be(0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Select(l => l.GetProperty("type").GetString()).Should().Equal("anomaly_start", "anomaly_end", "summary");
        lines[0].GetProperty("threshold").GetDouble().Should().BeGreaterThan(0);
        lines[2].GetProperty("frames").GetInt64().Should().BeGreaterThan(40);
    }

    [Fact]
    public async Task Calibrate_camera_rebuilds_the_bundled_scene_model_byte_for_byte()
    {
        // The same video and command as models/build.sh.
        FfmpegTool.Run("-f", "lavfi", "-i", "smptebars=size=320x240:rate=10:duration=60,noise=alls=6:allf=t:all_seed=42", "-c:v", "ffv1", _dir.Combine("normal.mkv"));
        var (code, stdout, stderr) = await AgentProcess.RunAsync(["calibrate-camera", "--config", RepositoryPaths.File("config", "camera-example.json"),
            "--pipeline", "yard", "--input", _dir.Combine("normal.mkv"), "--out", _dir.Combine("model"), "--name", "camera-demo", "--version", "1.0.0"]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("on 300 frames");
        foreach (var file in new[] { "model.onnx", "model.uint8.onnx", "model.json" })
        {
            File.ReadAllBytes(_dir.Combine("model", file)).Should().Equal(File.ReadAllBytes(RepositoryPaths.File("models", "camera-demo", file)),
                $"models/camera-demo/{file} must be what models/build.sh produces");
        }
    }

    [Fact]
    public async Task A_model_that_throws_at_run_time_is_counted_and_reported_and_the_agent_and_its_other_pipelines_go_on()
    {
        // A white scene: every pixel indexes past the model's one-element table, so each Run fails in ONNX Runtime
        // (indices out of bounds) although the model loads and fits.
        var video = FfmpegTool.Generate(_dir.Combine("white.mkv"), "color=c=white:size=160x120:rate=10:duration=4");
        var throwing = new OnnxModelBuilder("throws")
            .Input("image", TensorElementType.Float, 1, 3, 48, 64)
            .Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Initializer("scale", TensorElementType.Float, [], new[] { 1000f })
            .Initializer("table", TensorElementType.Float, [1], new[] { 0f })
            .Node("Mul", ["image", "scale"], ["scaled"])
            .Node("Cast", ["scaled"], ["index"], OnnxAttribute.Int("to", (long)TensorElementType.Int64))
            .Node("Gather", ["table", "index"], ["gathered"])
            .Node("ReduceMean", ["gathered"], ["score"], OnnxAttribute.Int("keepdims", 1))
            .Save(_dir.Combine("throws.onnx"));
        var config = JsonNode.Parse(File.ReadAllText(WriteConfig(video, raiseThreshold: 0.1, modelPath: throwing, camera: c => c["loop"] = true)))!;
        var demo = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("config", "edgeagent.json")))!["pipelines"]![0]!;
        demo["model"]!["path"] = RepositoryPaths.File("models", "demo", "model.onnx");
        demo["sources"]![0]!["simulated"]!["anomalies"]![0]!["atSeconds"] = 5;
        demo["sources"]![0]!["simulated"]!["anomalies"]![0]!["durationSeconds"] = 8;
        config["pipelines"]!.AsArray().Add(demo.DeepClone());
        config["telemetry"] = new JsonObject { ["intervalSeconds"] = 1 };
        var path = _dir.Combine("two.json");
        File.WriteAllText(path, config.ToJsonString());

        using var events = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/#");
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var agent = AgentProcess.Start(["run", "--config", path], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.Address });
        try
        {
            await listener.WaitForReadyThenAsync(l => l.Contains("model failing", StringComparison.Ordinal) && l.Contains("out of", StringComparison.OrdinalIgnoreCase),
                "STATUS saying the camera's model fails", TimeSpan.FromSeconds(40));
            var report = await TelemetryReports.WaitForPipelineAsync(telemetry, "cam", p => p.TryGetProperty("modelErrors", out var e) && e.GetInt64() > 10, TimeSpan.FromSeconds(30));
            report.GetProperty("framesScored").GetInt64().Should().Be(0);

            // The sensor pipeline serves on: its injected anomaly reaches the broker.
            await events.WaitForAsync(m => m.Any(e => e.Topic.EndsWith("/demo", StringComparison.Ordinal) && e.Payload.Contains("\"anomaly_start\"", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "anomaly_start from the sensor pipeline");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain("Pipeline cam: the model failed", "the slot's one model-error policy logs it, rate-limited");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    private string WriteConfig(string video, double raiseThreshold, string? modelPath = null, Action<JsonObject>? camera = null, int grace = 30)
    {
        modelPath ??= BrightnessModel(_dir.Combine("brightness.onnx"));
        var cameraSection = new JsonObject { ["input"] = video, ["width"] = 64, ["height"] = 48, ["maxFps"] = 10 };
        camera?.Invoke(cameraSection);
        var config = new JsonObject
        {
            ["deviceId"] = "test-device",
            ["startupGraceSeconds"] = grace,
            ["stateDirectory"] = _dir.Combine("state"),
            ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = _broker.Port },
            ["pipelines"] = new JsonArray(new JsonObject
            {
                ["name"] = "cam",
                ["kind"] = "camera",
                ["camera"] = cameraSection,
                ["model"] = new JsonObject { ["path"] = modelPath },
                ["scorer"] = new JsonObject { ["kind"] = "output" },
                ["alert"] = new JsonObject { ["raiseThreshold"] = raiseThreshold, ["clearThreshold"] = raiseThreshold / 2, ["raiseWindows"] = 2, ["clearWindows"] = 2 },
            }),
        };
        var path = _dir.Combine("camera.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    /// <summary>Scores a frame by its mean brightness.</summary>
    private static string BrightnessModel(string path) => new OnnxModelBuilder("brightness")
        .Input("image", TensorElementType.Float, 1, 3, 48, 64)
        .Output("score", TensorElementType.Float, 1, 1, 1, 1)
        .Node("ReduceMean", ["image"], ["score"], OnnxAttribute.Int("keepdims", 1))
        .Save(path);

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
