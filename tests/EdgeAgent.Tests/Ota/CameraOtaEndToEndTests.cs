using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The real executable with the camera example (bundled camera-demo scene model, a looped ffmpeg clip as the camera):
/// a bundle dropped in the inbox reaches the camera pipeline through the same coordinator as sensor updates, a CLI
/// rollback takes effect live, and a bundle repairs a camera pipeline whose model broke.
/// </summary>
[Trait("Category", "Process")]
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

            Drop(inbox, "2.0.0");

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

    [Fact]
    public async Task A_camera_pipeline_whose_model_is_damaged_is_repaired_by_a_scene_model_dropped_in_the_inbox()
    {
        var clip = FfmpegTool.Generate(_dir.Combine("clip.mkv"), "testsrc2=size=64x48:rate=25:duration=2");
        var inbox = _dir.Combine("inbox");
        Directory.CreateDirectory(inbox);
        // The installed scene model is damaged (a bad SD card sector); its manifest is intact, so the store is seeded
        // with the damaged copy as camera-demo 1.0.0.
        var broken = _dir.Combine("broken");
        Directory.CreateDirectory(broken);
        File.Copy(RepositoryPaths.File("models", "camera-demo", "model.json"), Path.Combine(broken, "model.json"));
        var bytes = File.ReadAllBytes(RepositoryPaths.File("models", "camera-demo", "model.onnx"));
        File.WriteAllBytes(Path.Combine(broken, "model.onnx"), bytes[..(bytes.Length / 2)]);
        var config = RepositoryPaths.File("config", "camera-example.json");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", config,
            "--set", "mqtt.enabled=false",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"pipelines[0].model.path={Path.Combine(broken, "model.onnx")}",
            "--set", $"pipelines[0].camera.input={clip}",
            "--set", "pipelines[0].camera.loop=true",
            "--set", $"ota.inbox={inbox}",
            "--set", "ota.allowUnsigned=true",
        ]);
        try
        {
            await agent.WaitForLogAsync("Camera pipeline yard is not running");
            Drop(inbox, "2.0.0");
            // Nothing runs to swap: the coordinator activates 2.0.0 and the pipeline's next rebuild loads it.
            await agent.WaitForLogAsync("Camera pipeline yard recovered");
            await agent.WaitForLogAsync("Camera pipeline yard running");
            await agent.WaitForLogAsync("streaming", StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            agent.Signal(AgentProcess.SIGTERM);
        }

        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        agent.StandardError.Should().Contain("camera-demo 2.0.0 becomes its active model and is loaded at its next rebuild");
        var (code, status, stderr) = await AgentProcess.RunAsync(["models", "status", "--config", config, "--set", $"stateDirectory={_dir.Combine("state")}"]);
        code.Should().Be(0, stderr);
        status.Should().Contain("yard: camera-demo 2.0.0");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>The bundled scene model under another version, dropped atomically: written under a dot name, then renamed.</summary>
    private static void Drop(string inbox, string version)
    {
        var staged = Path.Combine(inbox, ".camera-demo-" + version);
        Directory.CreateDirectory(staged);
        File.Copy(RepositoryPaths.File("models", "camera-demo", "model.onnx"), Path.Combine(staged, "model.onnx"));
        var manifest = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "camera-demo", "model.json")))!.AsObject();
        manifest["version"] = version;
        File.WriteAllText(Path.Combine(staged, "model.json"), manifest.ToJsonString());
        Directory.Move(staged, Path.Combine(inbox, "camera-demo-" + version));
    }
}
