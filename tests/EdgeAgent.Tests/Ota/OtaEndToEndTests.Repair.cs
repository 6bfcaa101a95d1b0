using System.Text.Json;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

public sealed partial class OtaEndToEndTests
{
    [Fact]
    public async Task A_device_whose_model_is_damaged_keeps_running_and_is_repaired_by_an_update()
    {
        _broker.Start();
        var keys = _dir.Combine("keys");
        (await Cli("models", "keygen", "--out", keys)).Should().Be(0);
        var bundle = await SignedBundleAsync(keys, "2.0.0");

        // The installed model file is damaged (a bad SD card sector); its manifest is intact.
        var broken = _dir.Combine("broken");
        Directory.CreateDirectory(broken);
        File.Copy(RepositoryPaths.File("models", "demo", "model.json"), Path.Combine(broken, "model.json"));
        var bytes = File.ReadAllBytes(RepositoryPaths.File("models", "demo", "model.onnx"));
        File.WriteAllBytes(Path.Combine(broken, "model.onnx"), bytes[..(bytes.Length / 2)]);

        using var reported = new MqttSubscriber(_broker.Port, "edgeagent/test-device/models/reported");
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", "telemetry.intervalSeconds=1",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"pipelines[0].model.path={Path.Combine(broken, "model.onnx")}",
            "--set", $"ota.trustedKeys[0]={Path.Combine(keys, "signing.pub")}",
            "--set", "ota.healthWatchSeconds=1",
        ]);
        try
        {
            await telemetry.WaitForAsync(m => m.Any(r => Demo(r.Payload).GetProperty("state").GetString() == "failed"), TimeSpan.FromSeconds(60), "the pipeline reported failed");

            Publish("edgeagent/test-device/models/desired", Desired("demo", "2.0.0", bundle, BundleSignature.Sha256Hex(bundle), new FileInfo(bundle).Length));
            await WaitForAsync(reported, r => r.GetProperty("active").GetProperty("version").GetString() == "2.0.0", "2.0.0 active");
            await telemetry.WaitForAsync(m => m.Any(r => Demo(r.Payload) is var demo && demo.GetProperty("state").GetString() == "running" && demo.GetProperty("windows").GetInt64() > 0),
                TimeSpan.FromSeconds(60), "the repaired pipeline scoring windows");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain("Pipeline demo is not running").And.Contain("Pipeline demo recovered");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    private static JsonElement Demo(string telemetry) =>
        JsonDocument.Parse(telemetry).RootElement.GetProperty("pipelines").GetProperty("demo").Clone();
}
