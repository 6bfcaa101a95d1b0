using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// The README's main job: the bundled configuration and int8 model, run by the real executable against a real
/// broker, turn an injected level shift into one anomaly_start and one anomaly_end on events/demo.
/// </summary>
[Trait("Category", "Process")]
public sealed class DemoPipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Bundled_demo_publishes_start_and_end_of_an_injected_anomaly()
    {
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/demo");
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        var started = System.Diagnostics.Stopwatch.StartNew();

        // The demo's own timing, as a newcomer runs it: the level shift comes 20 s after start and lasts 20 s, so the
        // whole loop (normal, alert, end) is seen within about a minute.
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", "telemetry.intervalSeconds=2",
            "--set", $"stateDirectory={_dir.Combine("state")}",
        ]);

        IReadOnlyList<MqttSubscriber.Received> messages;
        TimeSpan firstStart;
        try
        {
            await subscriber.WaitForAsync(
                m => m.Any(e => e.Payload.Contains("\"anomaly_start\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(45), "anomaly_start");
            firstStart = started.Elapsed;
            messages = await subscriber.WaitForAsync(
                m => m.Any(e => e.Payload.Contains("\"anomaly_end\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "anomaly_end");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        // 20 s to the shift, two windows to raise, and the process's start-up on a shared, busy machine.
        firstStart.Should().BeLessThan(TimeSpan.FromSeconds(40), "the README promises the first anomaly within about 30 s of start");

        // The journal tells the same story without a broker: one line at the start, one at the end.
        await agent.WaitForLogAsync("Alert ended on demo");
        agent.StandardError.Should().MatchRegex(@"Alert started on demo: \w+, score [0-9.]+ >= threshold [0-9.]+; top: temperature\.");
        agent.StandardError.Split('\n').Count(l => l.Contains("Alert started on demo", StringComparison.Ordinal)).Should().Be(1);

        var types = messages.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("type").GetString()).ToList();
        types.Count(t => t == "anomaly_start").Should().Be(1, agent.StandardError);
        using var start = JsonDocument.Parse(messages.First(m => m.Payload.Contains("anomaly_start", StringComparison.Ordinal)).Payload);
        start.RootElement.GetProperty("pipeline").GetString().Should().Be("demo");
        start.RootElement.GetProperty("device").GetString().Should().Be("test-device");
        start.RootElement.GetProperty("score").GetDouble().Should().BeGreaterThan(start.RootElement.GetProperty("threshold").GetDouble());
        start.RootElement.GetProperty("features")[0].GetProperty("name").GetString().Should().StartWith("temperature.");

        // Telemetry carries the pipeline's counters.
        var reports = await telemetry.WaitForAsync(m => m.Count > 0, TimeSpan.FromSeconds(10), "telemetry");
        using var report = JsonDocument.Parse(reports[^1].Payload);
        report.RootElement.GetProperty("pipelines").GetProperty("demo").GetProperty("windows").GetInt64().Should().BeGreaterThan(0);

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task A_model_that_does_not_fit_takes_down_only_its_pipeline_naming_both_shapes()
    {
        // Two copies of the demo pipeline; the second computes two more statistics than its model takes.
        var config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("config", "edgeagent.json")))!;
        var pipelines = config["pipelines"]!.AsArray();
        var broken = pipelines[0]!.DeepClone();
        broken["name"] = "broken";
        broken["model"]!["path"] = RepositoryPaths.File("models", "demo", "model.onnx");
        broken["features"]![0]!["statistics"]!.AsArray().Add("kurtosis");
        broken["features"]![0]!["statistics"]!.AsArray().Add("peakToPeak");
        pipelines.Add(broken);
        pipelines[0]!["model"]!["path"] = RepositoryPaths.File("models", "demo", "model.onnx");
        var path = _dir.Combine("two.json");
        File.WriteAllText(path, config.ToJsonString());

        using var events = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/#");
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var agent = AgentProcess.Start(
        [
            "run", "--config", path,
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", "telemetry.intervalSeconds=1",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].atSeconds=3",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].durationSeconds=8",
        ], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.Address });

        try
        {
            await listener.WaitForReadyThenAsync(l => l.Contains("broken: not running", StringComparison.Ordinal), "STATUS naming the failed pipeline", TimeSpan.FromSeconds(30));
            var reports = await telemetry.WaitForAsync(
                m => m.Any(r => r.Payload.Contains("\"failed\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "telemetry with the failed pipeline");
            using (var report = JsonDocument.Parse(reports.Last(r => r.Payload.Contains("\"failed\"", StringComparison.Ordinal)).Payload))
            {
                var failed = report.RootElement.GetProperty("pipelines").GetProperty("broken");
                failed.GetProperty("state").GetString().Should().Be("failed");
                failed.GetProperty("error").GetString().Should().Contain("takes 10 input values but the feature pipeline writes 14");
            }

            // The healthy pipeline serves on: its injected anomaly reaches the broker.
            await events.WaitForAsync(m => m.Any(e => e.Topic.EndsWith("/demo", StringComparison.Ordinal) && e.Payload.Contains("\"anomaly_start\"", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(60), "anomaly_start from the healthy pipeline");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain("Pipeline broken is not running").And.Contain("takes 10 input values but the feature pipeline writes 14");
        events.Messages.Should().NotContain(m => m.Topic.EndsWith("/broken", StringComparison.Ordinal));
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    [Fact]
    public async Task A_damaged_store_version_falls_back_to_the_configured_model()
    {
        string[] run =
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", "mqtt.enabled=false",
            "--set", $"stateDirectory={_dir.Combine("state")}",
        ];

        // The first start seeds the store with the bundled model as demo 1.0.0, its active version.
        using (var first = AgentProcess.Start(run))
        {
            await first.WaitForLogAsync("Pipeline demo running");
            first.Signal(AgentProcess.SIGTERM);
            (await first.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, first.StandardError);
        }

        var stored = _dir.Combine("state", "models", "demo", "1.0.0", "model.onnx");
        File.Exists(stored).Should().BeTrue("the first start seeds the store");
        var bytes = File.ReadAllBytes(stored);
        File.WriteAllBytes(stored, bytes[..(bytes.Length / 3)]);

        using var second = AgentProcess.Start(run);
        await second.WaitForLogAsync("Pipeline demo running");
        second.StandardError.Should().Contain("the store's active model cannot be used").And.NotContain("Pipeline demo is not running");
        second.Signal(AgentProcess.SIGTERM);
        (await second.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, second.StandardError);
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
