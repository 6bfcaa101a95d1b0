using System.Text.Json.Nodes;
using EdgeAgent.Cli;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// A device source naming a BME280 on an I2C bus that this machine does not have, beside the bundled demo pipeline,
/// in the real executable: check-config accepts it; the agent runs, reports the source down in STATUS and telemetry,
/// keeps retrying, and the demo pipeline keeps producing windows.
/// </summary>
public sealed class DevicePipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    /// <summary>Bus 1 (a Raspberry Pi's header bus) unless this machine has one; then the first bus it lacks.</summary>
    private static int AbsentBus() => Enumerable.Range(1, 250).First(n => !File.Exists($"/dev/i2c-{n}"));

    private string Config(int bus)
    {
        var config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("config", "edgeagent.json")))!;
        var pipelines = config["pipelines"]!.AsArray();
        pipelines[0]!["model"]!["path"] = RepositoryPaths.File("models", "demo", "model.onnx");
        // A copy of the demo pipeline reading a BME280. The demo model takes statistics of two channels named
        // temperature and vibration; the names are the model's, the fields the chip's quantities.
        var climate = pipelines[0]!.DeepClone();
        climate["name"] = "climate";
        climate["sources"] = JsonNode.Parse($$"""
            [ {
              "type": "device",
              "device": { "driver": "bme280", "bus": {{bus}}, "address": "0x76" },
              "channels": [ { "name": "temperature" }, { "name": "vibration", "field": "humidity" } ],
              "pollIntervalMilliseconds": 1000,
              "maxRetrySeconds": 1
            } ]
            """);
        pipelines.Add(climate);
        var path = _dir.Combine("device.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    [Fact]
    public async Task A_bme280_on_a_missing_bus_passes_check_config_and_is_reported_down_and_retried_while_other_pipelines_run()
    {
        var bus = AbsentBus();
        var config = Config(bus);
        var (code, stdout, stderr) = await AgentProcess.RunAsync(["check-config", "--config", config, "--set", $"stateDirectory={_dir.Combine("state")}"]);
        code.Should().Be(ExitCodes.Ok, stderr);
        stdout.Should().Contain("\"driver\": \"bme280\"");

        _broker.Start();
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var systemd = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var agent = AgentProcess.Start(
            [
                "run", "--config", config,
                "--set", $"mqtt.port={_broker.Port}",
                "--set", "deviceId=test-device",
                "--set", "telemetry.intervalSeconds=1",
                "--set", $"stateDirectory={_dir.Combine("state")}",
            ],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = systemd.Address, ["WATCHDOG_USEC"] = "2000000" });
        try
        {
            await systemd.WaitForReadyThenAsync(l => l.Contains("climate/device0: device unavailable, retrying", StringComparison.Ordinal),
                "STATUS naming the device source as unavailable", TimeSpan.FromSeconds(60));
            var down = await TelemetryReports.WaitForPipelineAsync(telemetry, "climate",
                p => p.GetProperty("sources").GetProperty("climate/device0").GetProperty("readErrors").GetInt64() >= 3, TimeSpan.FromSeconds(60));
            var source = down.GetProperty("sources").GetProperty("climate/device0");
            source.GetProperty("down").GetBoolean().Should().BeTrue();
            source.GetProperty("deviceLost").GetInt64().Should().Be(1, "one outage, however many retries");
            source.GetProperty("samples").GetInt64().Should().Be(0);

            // The other pipeline is unaffected: its windows keep coming while the device source retries.
            var demo = await TelemetryReports.WaitForPipelineAsync(telemetry, "demo", p => p.GetProperty("windows").GetInt64() > 0, TimeSpan.FromSeconds(30));
            var later = await TelemetryReports.WaitForPipelineAsync(telemetry, "demo",
                p => p.GetProperty("windows").GetInt64() > demo.GetProperty("windows").GetInt64(), TimeSpan.FromSeconds(30), telemetry.Messages.Count);
            later.GetProperty("windows").GetInt64().Should().BeGreaterThan(demo.GetProperty("windows").GetInt64());
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain($"/dev/i2c-{bus} does not exist").And.Contain("retrying with backoff");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(ExitCodes.Ok, agent.StandardError);
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
