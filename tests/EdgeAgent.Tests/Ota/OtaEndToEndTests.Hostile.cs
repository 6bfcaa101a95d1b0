using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed partial class OtaEndToEndTests
{
    /// <summary>
    /// Issue 17 against the real executable, the real broker, real files and a real HTTP server on loopback: every
    /// hostile desired state and bundle ends as a rejection with its reason in models/reported (or the inbox's
    /// .rejected), the agent keeps running, a superseded retry never comes back, and a good update still serves.
    /// Defects 1 (no exception reaches the host), 8 (one target per pipeline), 11 (special files in the inbox) and 13
    /// (implausible models, bundles for no pipeline).
    /// </summary>
    [Fact]
    public async Task Hostile_desired_states_and_bundles_are_rejected_with_their_reason_and_the_agent_keeps_serving()
    {
        _broker.Start();
        var inbox = _dir.Combine("inbox");
        Directory.CreateDirectory(inbox);
        var fifo = _dir.Combine("artifact.fifo");
        HostileInput.MakeFifo(fifo);
        var good = HostileInput.Tar(_dir, HostileInput.DemoFolder(_dir, "2.0.0"));
        using var resetting = new HalfBodyHttpServer(File.ReadAllBytes(good));

        using var reported = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "ota.allowUnsigned=true",
            "--set", "ota.healthWatchSeconds=2",
            "--set", $"ota.inbox={inbox}",
            "--set", "ota.groups[0]=lab",
        ]);
        const string device = "edgeagent/test-device/models/desired";
        try
        {
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "1.0.0", "the initial reported state");

            // Defect 1: file:// to a missing file, to a directory (on a group topic), to a FIFO (must not block).
            Publish(device, DesiredAt("9.1.0", "file:///nonexistent/x.tar", new string('0', 64), 1000));
            (await WaitForRejectionAsync(reported, "9.1.0", "download_failed")).Should().Contain("does not exist");
            Publish(device, string.Empty);
            Publish("edgeagent/groups/lab/models/desired", DesiredAt("9.2.0", "file:///root/", new string('0', 64), 1000));
            (await WaitForRejectionAsync(reported, "9.2.0", "download_failed")).Should().Contain("directory");
            Publish("edgeagent/groups/lab/models/desired", string.Empty);
            Publish(device, DesiredAt("9.3.0", new Uri(fifo).AbsoluteUri, new string('0', 64), 1000));
            (await WaitForRejectionAsync(reported, "9.3.0", "download_failed")).Should().Contain("FIFO");

            // Defect 1: an HTTP server that resets mid-body is retried (not an escape), ...
            var goodSha = BundleSignature.Sha256Hex(good);
            Publish(device, DesiredAt("2.0.0", $"http://127.0.0.1:{resetting.Port}/demo.tar", goodSha, new FileInfo(good).Length));
            await WaitForAsync(reported, r => r.GetProperty("update").TryGetProperty("message", out var m) && m.GetString()!.Contains("retrying", StringComparison.Ordinal),
                "the reset download to be retried");

            // ... and defect 8: a newer desired state cancels that retry for good (checked at the end).
            var base256 = HostileInput.Base256SizeTar(_dir);
            Publish(device, DesiredAt("9.4.0", new Uri(base256).AbsoluteUri, BundleSignature.Sha256Hex(base256), new FileInfo(base256).Length));
            var superseded = DateTime.UtcNow;
            var connections = resetting.Connections;
            (await WaitForRejectionAsync(reported, "9.4.0", "unsafe_bundle")).Should().Contain("not a readable tar");

            // Defect 1 and 13: model.json with wrong types, an absurd threshold.
            await RejectedBundleAsync(reported, "9.5.0", m => m["features"] = new JsonArray(0, 1, 2), "invalid_manifest");
            await RejectedBundleAsync(reported, "9.6.0", m => m["threshold"] = "0.1", "invalid_manifest");
            (await RejectedBundleAsync(reported, "9.7.0", m => m["threshold"] = 1e-300, "implausible")).Should().Contain("threshold");

            // Defects 11 and 13 in the inbox: a FIFO named .tar, a folder whose model.onnx is a FIFO (or /dev/zero's
            // numbers), a bundle for a model no pipeline serves. None blocks the inbox; each is filed with its reason.
            HostileInput.MakeFifo(Path.Combine(inbox, "fifo.tar"));
            var fifoFolder = HostileInput.DemoFolder(_dir, "9.8.0");
            File.Delete(Path.Combine(fifoFolder, "model.onnx"));
            HostileInput.MakeFifo(Path.Combine(fifoFolder, "model.onnx"));
            Directory.Move(fifoFolder, Path.Combine(inbox, "fifo-model"));
            var deviceFolder = HostileInput.DemoFolder(_dir, "9.9.0");
            File.Delete(Path.Combine(deviceFolder, "model.onnx"));
            var devices = HostileInput.TryMakeZeroDevice(Path.Combine(deviceFolder, "model.onnx"));
            Directory.Move(deviceFolder, Path.Combine(inbox, "device-model"));
            Directory.Move(HostileInput.DemoFolder(_dir, "1.0.0", name: "elsewhere"), Path.Combine(inbox, "no-pipeline"));
            var reasons = await WaitForInboxReasonsAsync(inbox, devices ? 4 : 3);
            reasons.Should().Contain(r => r.Contains("fifo.tar", StringComparison.Ordinal) && r.StartsWith("unsafe_bundle", StringComparison.Ordinal) && r.Contains("FIFO", StringComparison.Ordinal));
            reasons.Should().Contain(r => r.Contains("fifo-model", StringComparison.Ordinal) && r.StartsWith("unsafe_bundle", StringComparison.Ordinal));
            reasons.Should().Contain(r => r.Contains("no-pipeline", StringComparison.Ordinal) && r.StartsWith("unknown_pipeline", StringComparison.Ordinal) && r.Contains("elsewhere", StringComparison.Ordinal));
            if (devices)
            {
                reasons.Should().Contain(r => r.Contains("device-model", StringComparison.Ordinal) && r.Contains("character device", StringComparison.Ordinal));
            }

            // Still serving, still updatable: the good bundle by file://.
            Publish(device, DesiredAt("2.0.0", new Uri(good).AbsoluteUri, goodSha, new FileInfo(good).Length));
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "2.0.0"
                && r.GetProperty("update").GetProperty("state").GetString() == "active", "2.0.0 active");

            // The superseded HTTP retry (due 15 s after its failure) never ran.
            var wait = superseded.AddSeconds(20) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            resetting.Connections.Should().Be(connections, "a newer desired state cancels the older one's retries");
            new ModelStore(_dir.Combine("state")).Active("demo")!.Version.Should().Be("2.0.0");
            agent.HasExited.Should().BeFalse(agent.StandardError);
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        (agent.StandardError + agent.StandardOutput).Should().NotContain("internal_error").And.NotContain("Unhandled");
    }

    private async Task<string> RejectedBundleAsync(MqttSubscriber reported, string version, Action<JsonObject> edit, string reason)
    {
        var bundle = HostileInput.Tar(_dir, HostileInput.DemoFolder(_dir, version, edit));
        Publish("edgeagent/test-device/models/desired", DesiredAt(version, new Uri(bundle).AbsoluteUri, BundleSignature.Sha256Hex(bundle), new FileInfo(bundle).Length));
        return await WaitForRejectionAsync(reported, version, reason);
    }

    /// <summary>Waits for the rejection of this candidate version with this reason, the previous model serving; returns its message.</summary>
    private static async Task<string> WaitForRejectionAsync(MqttSubscriber reported, string version, string reason)
    {
        var entry = await WaitForAsync(reported, r =>
            r.GetProperty("update") is var u && u.TryGetProperty("reason", out var why) && why.GetString() == reason &&
            u.GetProperty("candidate").ValueKind == JsonValueKind.Object && u.GetProperty("candidate").GetProperty("version").GetString() == version &&
            r.GetProperty("active").GetProperty("version").GetString() == "1.0.0", $"{version} rejected as {reason}");
        return entry.GetProperty("update").GetProperty("message").GetString()!;
    }

    private static async Task<List<string>> WaitForInboxReasonsAsync(string inbox, int count)
    {
        var rejected = Path.Combine(inbox, ".rejected");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var reasons = Directory.Exists(rejected)
                ? Directory.GetFiles(rejected, "*.reason.txt").Select(f => File.ReadAllText(f) + " " + Path.GetFileName(f)).ToList()
                : [];
            if (reasons.Count >= count)
            {
                return reasons;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {reasons.Count} of {count} inbox bundles were rejected: {string.Join(" | ", reasons)}");
            }

            await Task.Delay(200);
        }
    }

    private static string DesiredAt(string version, string url, string sha, long size) =>
        new JsonObject
        {
            ["pipelines"] = new JsonObject
            {
                ["demo"] = new JsonObject { ["name"] = "demo", ["version"] = version, ["url"] = url, ["sha256"] = sha, ["size"] = size },
            },
        }.ToJsonString();
}
