using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The real executable with the camera example (bundled camera-demo scene model, a looped ffmpeg clip as the camera):
/// a bundle dropped in the inbox reaches the camera pipeline through the same coordinator as sensor updates, and a
/// CLI rollback takes effect live.
/// </summary>
public sealed class CameraOtaEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-camera-ota");

    [Fact]
    public async Task A_scene_model_dropped_in_the_inbox_is_swapped_into_the_running_camera_pipeline_and_rolled_back_by_the_CLI()
    {
        var clip = FfmpegTool.Generate(_dir.Combine("clip.mkv"), "testsrc2=size=64x48:rate=25:duration=2");
        var inbox = _dir.Combine("inbox");
        Directory.CreateDirectory(inbox);
        var config = RepositoryPaths.File("config", "camera-example.json");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", config,
            "--set", "mqtt.enabled=false",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"pipelines[0].camera.input={clip}",
            "--set", "pipelines[0].camera.loop=true",
            "--set", "pipelines[0].camera.maxFps=25",
            "--set", $"ota.inbox={inbox}",
            "--set", "ota.allowUnsigned=true",
            "--set", "ota.healthWatchSeconds=1",
        ]);
        try
        {
            await agent.WaitForLogAsync("Camera pipeline yard running");

            // Dropped atomically: written under a dot name, then renamed.
            var staged = Path.Combine(inbox, ".camera-demo-2.0.0");
            Directory.CreateDirectory(staged);
            File.Copy(RepositoryPaths.File("models", "camera-demo", "model.onnx"), Path.Combine(staged, "model.onnx"));
            var manifest = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "camera-demo", "model.json")))!.AsObject();
            manifest["version"] = "2.0.0";
            File.WriteAllText(Path.Combine(staged, "model.json"), manifest.ToJsonString());
            Directory.Move(staged, Path.Combine(inbox, "camera-demo-2.0.0"));

            await agent.WaitForLogAsync("now serves camera-demo 2.0.0");

            // The CLI rewrites active.json; the running agent swaps the previous scene model back in live.
            var (rollback, output, error) = await AgentProcess.RunAsync(["models", "rollback", "--pipeline", "yard", "--config", config,
                "--set", $"stateDirectory={_dir.Combine("state")}"]);
            rollback.Should().Be(0, output + error);
            await agent.WaitForLogAsync("now serves camera-demo 1.0.0");
        }
        finally
        {
            agent.Signal(AgentProcess.SIGTERM);
        }

        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        var (code, status, stderr) = await AgentProcess.RunAsync(["models", "status", "--config", config, "--set", $"stateDirectory={_dir.Combine("state")}"]);
        code.Should().Be(0, stderr);
        status.Should().Contain("yard: camera-demo 1.0.0");
        status.Should().Contain("2.0.0", "the dropped version stays in the store as the previous one");
    }

    public void Dispose() => _dir.Dispose();
}
