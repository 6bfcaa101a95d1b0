using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Hosting;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The real executable, the real broker and the bundled demo pipeline: desired states published retained with
/// mosquitto_pub, a bundle made with 'models sign' served from a file:// URL, the outcome read from models/reported.
/// </summary>
[Trait("Category", "Process")]
public sealed partial class OtaEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-ota-e2e");
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Bad_desired_states_are_rejected_with_their_reason_and_a_signed_update_then_serves()
    {
        _broker.Start();
        var keys = _dir.Combine("keys");
        (await Cli("models", "keygen", "--out", keys)).Should().Be(0);
        var bundle = await SignedBundleAsync(keys, "2.0.0");
        var sha = BundleSignature.Sha256Hex(bundle);
        var size = new FileInfo(bundle).Length;
        var untrusted = _dir.Combine("other-keys");
        (await Cli("models", "keygen", "--out", untrusted)).Should().Be(0);
        var untrustedBundle = await SignedBundleAsync(untrusted, "3.0.0");

        using var reported = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"ota.trustedKeys[0]={Path.Combine(keys, "signing.pub")}",
            "--set", "ota.healthWatchSeconds=2",
            "--set", "ota.groups[0]=lab",
        ]);
        try
        {
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "1.0.0", "the initial reported state");

            Publish("edgeagent/test-device/models/desired", "{ not json");
            await WaitForReasonAsync(reported, "malformed_request");

            Publish("edgeagent/test-device/models/desired", Desired("elsewhere", "2.0.0", bundle, sha, size));
            await WaitForReasonAsync(reported, "unknown_pipeline");

            Publish("edgeagent/test-device/models/desired", Desired("demo", "2.0.0", bundle, new string('0', 64), size));
            await WaitForReasonAsync(reported, "checksum_mismatch");

            var untrustedSha = BundleSignature.Sha256Hex(untrustedBundle);
            Publish("edgeagent/test-device/models/desired", Desired("demo", "3.0.0", untrustedBundle, untrustedSha, new FileInfo(untrustedBundle).Length));
            await WaitForReasonAsync(reported, "untrusted_key");

            // The device topic is cleared; the group's desired state now applies.
            Publish("edgeagent/test-device/models/desired", string.Empty);
            Publish("edgeagent/groups/lab/models/desired", Desired("demo", "2.0.0", bundle, sha, size));
            var active = await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "2.0.0", "2.0.0 active");
            active.GetProperty("previous").GetProperty("version").GetString().Should().Be("1.0.0");
            active.GetProperty("update").GetProperty("state").GetString().Should().Be("active");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        var (code, status, _) = await AgentProcess.RunAsync(["models", "status", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"stateDirectory={_dir.Combine("state")}"]);
        code.Should().Be(0);
        status.Should().Contain("demo: demo 2.0.0");
    }

    [Fact]
    public async Task Killed_during_an_update_the_agent_restarts_consistent_finishes_it_and_the_CLI_rollback_takes_effect_live()
    {
        _broker.Start();
        var keys = _dir.Combine("keys");
        (await Cli("models", "keygen", "--out", keys)).Should().Be(0);
        var bundle = await SignedBundleAsync(keys, "2.0.0");
        string[] run =
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"ota.trustedKeys[0]={Path.Combine(keys, "signing.pub")}",
            "--set", "ota.healthWatchSeconds=3",
        ];
        Publish("edgeagent/test-device/models/desired", Desired("demo", "2.0.0", bundle, BundleSignature.Sha256Hex(bundle), new FileInfo(bundle).Length));

        // Held at "verifying" by the test hook, then killed there: a kill once the candidate is being loaded is the
        // crash-loop breaker's case (OtaEndToEndTests.Breaker), where the model is refused for good, so a kill "as soon
        // as the update has begun" without the hook raced with the update's progress.
        using (var first = AgentProcess.Start(run, new Dictionary<string, string?> { [TestHooks.PauseVariable] = "verifying" }))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!first.StandardError.Contains("OTA test hook: paused at verifying", StringComparison.Ordinal))
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"the update should reach verifying; stderr: {first.StandardError}");
                await Task.Delay(20);
            }

            first.Signal(AgentProcess.SIGKILL);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var (code, status, stderr) = await AgentProcess.RunAsync(["models", "status", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"stateDirectory={_dir.Combine("state")}"]);
        code.Should().Be(0, stderr);
        status.Should().MatchRegex("demo: demo (1|2)\\.0\\.0");
        foreach (var version in Directory.GetDirectories(Path.Combine(_dir.Combine("state"), "models", "demo")))
        {
            File.Exists(Path.Combine(version, "model.onnx")).Should().BeTrue(version);
            File.Exists(Path.Combine(version, "model.json")).Should().BeTrue(version);
        }

        using var after = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var second = AgentProcess.Start(run);
        try
        {
            // The retained desired state is delivered again; the update completes (or was complete).
            await WaitForAsync(after, r => r.GetProperty("active").GetProperty("version").GetString() == "2.0.0"
                && r.GetProperty("update").GetProperty("state").GetString() is "active" or "none", "2.0.0 serving after the restart");

            var (rollback, output, error) = await AgentProcess.RunAsync(["models", "rollback", "--pipeline", "demo",
                "--config", RepositoryPaths.File("config", "edgeagent.json"), "--set", $"stateDirectory={_dir.Combine("state")}"]);
            rollback.Should().Be(0, output + error);
            var back = await WaitForAsync(after, r => r.GetProperty("active").GetProperty("version").GetString() == "1.0.0"
                && r.GetProperty("update").GetProperty("state").GetString() == "active", "the CLI rollback deployed live");
            back.GetProperty("update").GetProperty("candidate").GetProperty("version").GetString().Should().Be("1.0.0");
        }
        catch (TimeoutException ex)
        {
            throw second.WithStandardError(ex);
        }

        second.Signal(AgentProcess.SIGTERM);
        (await second.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, second.StandardError);
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    private async Task<string> SignedBundleAsync(string keys, string version)
    {
        var folder = _dir.Combine("demo-" + version);
        Directory.CreateDirectory(folder);
        File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), Path.Combine(folder, "model.onnx"));
        var manifest = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!.AsObject();
        manifest["version"] = version;
        File.WriteAllText(Path.Combine(folder, "model.json"), manifest.ToJsonString());
        var bundle = _dir.Combine($"demo-{version}.tar");
        (await Cli("models", "sign", "--key", Path.Combine(keys, "signing.key"), "--out", bundle, folder)).Should().Be(0);
        return bundle;
    }

    private static async Task<int> Cli(params string[] arguments)
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(arguments);
        code.Should().Be(0, stderr);
        return code;
    }

    private static string Desired(string pipeline, string version, string bundle, string sha, long size) =>
        new JsonObject
        {
            ["pipelines"] = new JsonObject
            {
                [pipeline] = new JsonObject
                {
                    ["name"] = "demo", ["version"] = version, ["url"] = new Uri(bundle).AbsoluteUri, ["sha256"] = sha, ["size"] = size,
                },
            },
        }.ToJsonString();

    private void Publish(string topic, string payload)
    {
        var info = new ProcessStartInfo("mosquitto_pub") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", topic, "-r", "-q", "1" })
        {
            info.ArgumentList.Add(argument);
        }

        if (payload.Length == 0)
        {
            info.ArgumentList.Add("-n");
        }
        else
        {
            info.ArgumentList.Add("-m");
            info.ArgumentList.Add(payload);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit(10_000).Should().BeTrue();
        process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
    }

    private static Task<JsonElement> WaitForReasonAsync(MqttSubscriber reported, string reason) =>
        WaitForAsync(reported, r => r.GetProperty("update").TryGetProperty("reason", out var value) && value.GetString() == reason
                                    && r.GetProperty("active").GetProperty("version").GetString() == "1.0.0", reason);

    /// <summary>The demo pipeline's entry of the first reported state (since the call) that satisfies the condition.</summary>
    private static async Task<JsonElement> WaitForAsync(MqttSubscriber reported, Func<JsonElement, bool> condition, string what)
    {
        JsonElement? found = null;
        await reported.WaitForAsync(messages =>
        {
            foreach (var message in messages)
            {
                var demo = JsonDocument.Parse(message.Payload).RootElement.GetProperty("pipelines").GetProperty("demo");
                if (condition(demo))
                {
                    found = demo.Clone();
                    return true;
                }
            }

            return false;
        }, TimeSpan.FromSeconds(60), what);
        return found!.Value;
    }
}
