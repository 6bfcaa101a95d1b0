using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// The README's main job: the bundled configuration and int8 model, run by the real executable against a real
/// broker, turn an injected level shift into one anomaly_start and one anomaly_end on events/demo.
/// </summary>
public sealed class DemoPipelineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Bundled_demo_publishes_start_and_end_of_an_injected_anomaly()
    {
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/demo");
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device",
            "--set", "telemetry.intervalSeconds=2",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            // The level shift comes 5 s after start and lasts 8 s instead of the demo's 90 s and 30 s.
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].atSeconds=5",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].durationSeconds=8",
            "--set", "pipelines[0].sources[0].simulated.anomalies[1].atSeconds=200",
        ]);

        IReadOnlyList<MqttSubscriber.Received> messages;
        try
        {
            messages = await subscriber.WaitForAsync(
                m => m.Any(e => e.Payload.Contains("\"anomaly_end\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(90), "anomaly_end");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; agent stderr: {agent.StandardError}", ex);
        }

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
    public async Task A_model_that_does_not_fit_the_features_stops_the_start_naming_both_shapes()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", "mqtt.enabled=false",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "pipelines[0].features[0].statistics[5]=kurtosis",
        ]);
        code.Should().NotBe(0);
        stderr.Should().Contain("takes 10 input values but the feature pipeline writes 12");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
