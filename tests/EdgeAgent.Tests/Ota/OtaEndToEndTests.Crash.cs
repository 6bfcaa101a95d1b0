using EdgeAgent.Hosting;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed partial class OtaEndToEndTests
{
    /// <summary>
    /// SIGKILL at each step of an update, then a restart: the store is consistent (no half version visible), the
    /// previous or the new model serves (never none), and the retained desired state finishes the update. A download is
    /// stopped mid-body by the test's HTTP server (the restart must resume it with Range); the other steps by the agent's
    /// test hook EDGEAGENT_OTA_TEST_PAUSE (TestHooks). A kill between the candidate's load and the end of its health
    /// watch trips the crash-loop breaker instead (OtaEndToEndTests.Breaker.cs).
    /// </summary>
    [Theory]
    [InlineData("downloading")]
    [InlineData("verifying")]
    [InlineData("staging")]
    [InlineData("validating")]
    [InlineData("activating")]
    public async Task Killed_at_any_step_of_an_update_the_agent_restarts_with_a_serving_model_and_completes_it(string step)
    {
        _broker.Start();
        var bundle = UnsignedBundle("2.0.0");
        var state = _dir.Combine("state");
        string[] run =
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={state}",
            "--set", "ota.allowUnsigned=true",
            "--set", "ota.healthWatchSeconds=2",
        ];
        var sha = BundleSignature.Sha256Hex(bundle);
        var body = File.ReadAllBytes(bundle);
        using var server = new HalfBodyHttpServer(body, holdFirst: true);
        var url = step == "downloading" ? $"http://127.0.0.1:{server.Port}/demo.tar" : new Uri(bundle).AbsoluteUri;
        Publish("edgeagent/test-device/models/desired", DesiredAt("2.0.0", url, sha, body.Length));

        // Downloading: the server has sent half the artifact and holds the connection; the agent has written all of it.
        var partial = Path.Combine(state, "models", ".downloads", sha + ".artifact");
        Func<AgentProcess, bool> reached = step == "downloading"
            ? _ => File.Exists(partial) && new FileInfo(partial).Length == body.Length / 2
            : agent => (agent.StandardError + agent.StandardOutput).Contains($"OTA test hook: paused at {step}", StringComparison.Ordinal);
        using (var first = AgentProcess.Start(run, step == "downloading" ? null : new Dictionary<string, string?> { [TestHooks.PauseVariable] = step }))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!reached(first))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"the agent should reach {step}; stderr: {first.StandardError}");
                await Task.Delay(20);
            }

            first.Signal(AgentProcess.SIGKILL);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var before = AssertStoreConsistent(state);
        var (code, status, stderr) = await AgentProcess.RunAsync(["models", "status", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"stateDirectory={state}"]);
        code.Should().Be(0, stderr);
        status.Should().MatchRegex("demo: demo (1|2)\\.0\\.0", "the previous or the new model is active after the kill at {0}", step);

        using var after = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var second = AgentProcess.Start(run);
        try
        {
            // The first reported state after the restart names a serving model; then the retained desired state completes the update.
            var initial = await WaitForAsync(after, _ => true, "the first reported state after the restart");
            initial.GetProperty("active").GetProperty("version").GetString().Should().BeOneOf("1.0.0", "2.0.0");
            await WaitForAsync(after, r => r.GetProperty("active").GetProperty("version").GetString() == "2.0.0"
                && r.GetProperty("update").GetProperty("state").GetString() is "active" or "none", "2.0.0 serving after the restart");
        }
        catch (TimeoutException ex)
        {
            throw second.WithStandardError(ex);
        }

        second.Signal(AgentProcess.SIGTERM);
        (await second.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, second.StandardError);

        // What the store held after the kill is still there (nothing accepted is lost), and all of it is whole.
        AssertStoreConsistent(state).Should().Contain(before);
        var staging = Path.Combine(state, "models", ".staging");
        (Directory.Exists(staging) ? Directory.GetFileSystemEntries(staging) : []).Should().BeEmpty("the restart drops an interrupted staging area");
        new ModelStore(state).Active("demo")!.Version.Should().Be("2.0.0");
        if (step == "downloading")
        {
            server.Ranges.Should().Equal([$"bytes={body.Length / 2}-"], "the restart resumes the download where it stopped");
        }
    }

    /// <summary>The demo model as version <paramref name="version"/> in a .tar (unsigned: signing is tested elsewhere and costs two CLI runs).</summary>
    private string UnsignedBundle(string version)
    {
        var folder = _dir.Combine("bundle-" + version);
        Directory.CreateDirectory(folder);
        File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), Path.Combine(folder, "model.onnx"));
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!.AsObject();
        manifest["version"] = version;
        File.WriteAllText(Path.Combine(folder, "model.json"), manifest.ToJsonString());
        var bundle = _dir.Combine($"demo-{version}.tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(folder, bundle, includeBaseDirectory: false);
        return bundle;
    }

    /// <summary>Every visible version is complete: its model.onnx is the one its model.json names. Returns the versions.</summary>
    private static List<string> AssertStoreConsistent(string state)
    {
        var versions = new List<string>();
        var demo = Path.Combine(state, "models", "demo");
        foreach (var version in Directory.Exists(demo) ? Directory.GetDirectories(demo) : [])
        {
            var manifest = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(version, "model.json")));
            BundleSignature.Sha256Hex(Path.Combine(version, "model.onnx")).Should().Be(manifest.Sha256, $"{version} must be whole");
            versions.Add(Path.GetFileName(version));
        }

        versions.Should().Contain("1.0.0", "the bundled model seeds the store at the first start");
        return versions;
    }
}
