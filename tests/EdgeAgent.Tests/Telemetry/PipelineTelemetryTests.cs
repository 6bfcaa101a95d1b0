using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Telemetry;

/// <summary>
/// A camera pipeline's state in the real executable's telemetry reports and systemd STATUS, while a live MJPEG camera
/// on loopback streams, freezes (SIGSTOP, connection left open) and comes back.
/// </summary>
[Trait("Category", "Process")]
public sealed class PipelineTelemetryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();
    private readonly List<Process> _cameras = [];

    [Fact]
    public async Task Telemetry_and_status_show_the_camera_running_stalled_and_running_again()
    {
        var port = FfmpegTool.FreeLoopbackPort();
        var camera = Serve(port);
        _broker.Start();
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var systemd = new NotifySocketListener(_dir.Combine("notify.sock"));
        // A 2 s watchdog makes the agent refresh STATUS every second.
        using var agent = AgentProcess.Start(["run", "--config", WriteConfig(port)],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = systemd.Address, ["WATCHDOG_USEC"] = "2000000" });
        try
        {
            var running = await CameraReportAsync(telemetry, c => c.GetProperty("state").GetString() == "running" && c.GetProperty("fpsOut").GetDouble() > 0);
            running.GetProperty("kind").GetString().Should().Be("camera");
            running.GetProperty("fpsIn").GetDouble().Should().BeGreaterThan(0);
            running.GetProperty("framesScored").GetInt64().Should().BeGreaterThan(0);
            running.TryGetProperty("lastError", out _).Should().BeFalse();
            var status = await systemd.WaitForAsync(l => l.StartsWith("STATUS=healthy", StringComparison.Ordinal) && l.Contains("camera cam: running, "),
                "STATUS with the camera running", TimeSpan.FromSeconds(60));
            status.Should().MatchRegex(@"camera cam: running, \d+\.\d fps in, \d+\.\d fps out, \d+ dropped, \d+ restarts");

            FfmpegTool.Signal(camera, "STOP");
            // Stalled once the timeout passes; the frozen server no longer listens, so the restarts that follow are
            // refused and the camera soon counts as down.
            var stalled = await CameraReportAsync(telemetry, c => c.GetProperty("stalls").GetInt64() >= 1);
            stalled.GetProperty("state").GetString().Should().BeOneOf("stalled", "down");
            stalled.GetProperty("lastError").GetString().Should().NotBeNullOrEmpty();
            stalled.GetProperty("fpsOut").GetDouble().Should().Be(0);
            await systemd.WaitForAsync(l => l.StartsWith("STATUS=degraded", StringComparison.Ordinal) && (l.Contains("camera cam: stalled, ") || l.Contains("camera cam: down, ")),
                "STATUS with the camera stalled or down", TimeSpan.FromSeconds(60));
            (await CameraReportAsync(telemetry, c => c.GetProperty("state").GetString() == "down"))
                .GetProperty("lastError").GetString().Should().Contain("127.0.0.1");

            FfmpegTool.Signal(camera, "CONT");
            FfmpegTool.Stop(camera);
            Serve(port);
            var recovered = await CameraReportAsync(telemetry, c => c.GetProperty("state").GetString() == "running" && c.GetProperty("fpsOut").GetDouble() > 0);
            recovered.GetProperty("restarts").GetInt64().Should().BeGreaterThanOrEqualTo(1);
            recovered.GetProperty("framesScored").GetInt64().Should().BeGreaterThan(running.GetProperty("framesScored").GetInt64());
            await systemd.WaitForAsync(l => l.StartsWith("STATUS=healthy", StringComparison.Ordinal) && l.Contains("camera cam: running, "),
                "STATUS with the camera running again", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    public void Dispose()
    {
        foreach (var camera in _cameras)
        {
            FfmpegTool.Stop(camera);
        }

        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>The camera pipeline's object of the first telemetry report (from now on) that matches.</summary>
    private static Task<JsonElement> CameraReportAsync(MqttSubscriber telemetry, Func<JsonElement, bool> match) =>
        TelemetryReports.WaitForPipelineAsync(telemetry, "cam", match, TimeSpan.FromSeconds(90), skip: telemetry.Messages.Count);

    private Process Serve(int port)
    {
        var camera = FfmpegTool.ServeMjpeg(port, "color=c=gray:size=160x120:rate=10");
        _cameras.Add(camera);
        return camera;
    }

    private string WriteConfig(int port)
    {
        var model = new OnnxModelBuilder("brightness")
            .Input("image", TensorElementType.Float, 1, 3, 48, 64)
            .Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Node("ReduceMean", ["image"], ["score"], OnnxAttribute.Int("keepdims", 1))
            .Save(_dir.Combine("brightness.onnx"));
        var config = new JsonObject
        {
            ["deviceId"] = "test-device",
            ["stateDirectory"] = _dir.Combine("state"),
            ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = _broker.Port },
            ["telemetry"] = new JsonObject { ["intervalSeconds"] = 1 },
            ["pipelines"] = new JsonArray(new JsonObject
            {
                ["name"] = "cam",
                ["kind"] = "camera",
                ["camera"] = new JsonObject
                {
                    ["input"] = $"http://127.0.0.1:{port}/cam.mjpg", ["width"] = 64, ["height"] = 48, ["maxFps"] = 10,
                    ["stallTimeoutSeconds"] = 3, ["restartBackoffMinSeconds"] = 0.2, ["restartBackoffMaxSeconds"] = 0.5,
                },
                ["model"] = new JsonObject { ["path"] = model },
                ["scorer"] = new JsonObject { ["kind"] = "output" },
                ["alert"] = new JsonObject { ["raiseThreshold"] = 10.0, ["clearThreshold"] = 5.0 },
            }),
        };
        var path = _dir.Combine("camera.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }
}
