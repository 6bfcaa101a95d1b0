using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The shadow period in the real executable with the real broker: signed bundles served from file:// URLs, desired
/// states published retained with mosquitto_pub, the outcome read from models/reported.
/// </summary>
[Trait("Category", "Process")]
public sealed class OtaShadowEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-shadow-e2e");
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task A_candidate_failing_its_shadow_bounds_is_reported_shadow_then_rejected_and_a_good_one_then_serves()
    {
        _broker.Start();
        var keys = _dir.Combine("keys");
        await CliAsync("models", "keygen", "--out", keys);
        // The same network with a threshold far under its normal scores: it would alert on every window.
        var noisy = await SignedBundleAsync(keys, "2.0.0", threshold: 1e-9);
        var good = await SignedBundleAsync(keys, "3.0.0", threshold: null);

        using var reported = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"ota.trustedKeys[0]={Path.Combine(keys, "signing.pub")}",
            "--set", "ota.healthWatchSeconds=1",
            "--set", "ota.shadow.seconds=2",
            "--set", "ota.shadow.minWindows=20",
            "--set", "pipelines[0].sources[0].simulated.realTime=false",
        ]);
        try
        {
            await WaitForAsync(reported, r => Version(r, "active") == "1.0.0", "the initial reported state");

            Publish(Desired("2.0.0", noisy));
            await WaitForAsync(reported, r => State(r) == "shadow" && Version(r.GetProperty("update"), "candidate") == "2.0.0", "2.0.0 in its shadow period");
            var rejected = await WaitForAsync(reported, r => State(r) == "rejected", "2.0.0 rejected");
            rejected.GetProperty("update").GetProperty("reason").GetString().Should().Be("shadow_failed");
            rejected.GetProperty("update").GetProperty("message").GetString().Should().Contain("alerted on 100% of").And.Contain("maxAlertRateIncrease");
            Version(rejected, "active").Should().Be("1.0.0");

            Publish(Desired("3.0.0", good));
            await WaitForAsync(reported, r => State(r) == "shadow" && Version(r.GetProperty("update"), "candidate") == "3.0.0", "3.0.0 in its shadow period");
            var active = await WaitForAsync(reported, r => Version(r, "active") == "3.0.0", "3.0.0 active after its shadow period");
            State(active).Should().Be("active");
            Version(active, "previous").Should().Be("1.0.0", "the refused 2.0.0 never served");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        var (code, status, stderr) = await AgentProcess.RunAsync(["models", "status", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"stateDirectory={_dir.Combine("state")}"]);
        code.Should().Be(0, stderr);
        status.Should().Contain("demo: demo 3.0.0");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    private async Task<string> SignedBundleAsync(string keys, string version, double? threshold)
    {
        var folder = _dir.Combine("demo-" + version);
        Directory.CreateDirectory(folder);
        File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), Path.Combine(folder, "model.onnx"));
        var manifest = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!.AsObject();
        manifest["version"] = version;
        if (threshold is not null)
        {
            manifest["threshold"] = threshold;
        }

        File.WriteAllText(Path.Combine(folder, "model.json"), manifest.ToJsonString());
        var bundle = _dir.Combine($"demo-{version}.tar");
        await CliAsync("models", "sign", "--key", Path.Combine(keys, "signing.key"), "--out", bundle, folder);
        return bundle;
    }

    private static async Task CliAsync(params string[] arguments)
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(arguments);
        code.Should().Be(0, stderr);
    }

    private static string Desired(string version, string bundle) =>
        new JsonObject
        {
            ["pipelines"] = new JsonObject
            {
                ["demo"] = new JsonObject
                {
                    ["name"] = "demo", ["version"] = version, ["url"] = new Uri(bundle).AbsoluteUri,
                    ["sha256"] = BundleSignature.Sha256Hex(bundle), ["size"] = new FileInfo(bundle).Length,
                },
            },
        }.ToJsonString();

    private void Publish(string payload)
    {
        var info = new ProcessStartInfo("mosquitto_pub") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "edgeagent/test-device/models/desired", "-r", "-q", "1", "-m", payload })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit(10_000).Should().BeTrue();
        process.ExitCode.Should().Be(0, process.StandardError.ReadToEnd());
    }

    private static string? State(JsonElement demo) => demo.GetProperty("update").GetProperty("state").GetString();

    private static string? Version(JsonElement parent, string property) =>
        parent.TryGetProperty(property, out var model) && model.ValueKind == JsonValueKind.Object ? model.GetProperty("version").GetString() : null;

    /// <summary>The demo pipeline's entry of the first reported state (since the subscription) that satisfies the condition.</summary>
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
