using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// Issue 17, defect 5, with the real executable and a real broker: an mqtt source with <c>timestampField</c> fed
/// messages dated 9999 must reject them as bad input (counted by reason), say Degraded in STATUS while nothing
/// usable arrives, and accept the true samples that follow (before, one such message silenced the pipeline until a
/// restart while health said healthy).
/// </summary>
public sealed class TimestampFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Future_timestamps_are_rejected_and_counted_the_pipeline_says_degraded_then_serves_on()
    {
        var config = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("config", "edgeagent.json")))!;
        var pipeline = config["pipelines"]![0]!;
        pipeline["model"]!["path"] = RepositoryPaths.File("models", "demo", "model.onnx");
        pipeline["sources"] = JsonNode.Parse("""
            [ { "type": "mqtt", "name": "machine", "channels": [ { "name": "temperature" }, { "name": "vibration" } ],
                "mqtt": { "topic": "plant/machine", "timestampField": "ts" } } ]
            """);
        var path = _dir.Combine("mqtt-source.json");
        File.WriteAllText(path, config.ToJsonString());

        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/ts-device/telemetry");
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var agent = AgentProcess.Start(
        [
            "run", "--config", path,
            "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=ts-device",
            "--set", "telemetry.intervalSeconds=1",
            "--set", $"stateDirectory={_dir.Combine("state")}",
        ], new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.Address });
        await listener.WaitForAsync("READY=1", TimeSpan.FromSeconds(60));
        await telemetry.WaitForAsync(m => m.Count > 0, TimeSpan.FromSeconds(30), "telemetry, so the agent is connected and subscribed");

        try
        {
            // Phase 1: a sensor whose clock says 9999-12-31 (253402300798 s): every record is rejected.
            Publish(Enumerable.Range(0, 20).Select(i => Record(253402300798 - 20 + i, 60, 4)));
            await listener.WaitForAsync(l => l.Contains("every input rejected", StringComparison.Ordinal) && l.Contains("timestampInFuture", StringComparison.Ordinal),
                "STATUS saying the pipeline gets nothing usable", TimeSpan.FromSeconds(40));
            listener.Received.Should().Contain(l => l.Contains("STATUS=degraded", StringComparison.Ordinal));

            // Phase 2: true records. They are not "backwards" of the rejected ones: every one is used.
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            Publish(Enumerable.Range(0, 100).Select(i => Record(now + (i * 0.1), 60 + Math.Sin(i), 4)));
            var report = await TelemetryReports.WaitForPipelineAsync(telemetry, "demo",
                p => Source(p).GetProperty("samples").GetInt64() == 200, TimeSpan.FromSeconds(30));
            var source = Source(report);
            source.GetProperty("badInputByReason").GetProperty("timestampInFuture").GetInt64().Should().Be(20);
            source.GetProperty("badInput").GetInt64().Should().Be(20, "nothing else was rejected: no record counted as backwards");
            report.GetProperty("windows").GetInt64().Should().BeGreaterThan(0);
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.StandardError.Should().Contain("TimestampInFuture").And.Contain("ahead of this device's clock");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    private static JsonElement Source(JsonElement pipeline) => pipeline.GetProperty("sources").EnumerateObject().Single().Value;

    private static string Record(double ts, double temperature, double vibration) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"ts":{{ts:0.###}},"temperature":{{temperature:0.###}},"vibration":{{vibration}}}""");

    /// <summary>One mosquitto_pub reading lines from stdin: one message per line, in order, QoS 1.</summary>
    private void Publish(IEnumerable<string> payloads)
    {
        var info = new ProcessStartInfo("mosquitto_pub") { RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", _broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "plant/machine", "-q", "1", "-l" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        foreach (var payload in payloads)
        {
            process.StandardInput.WriteLine(payload);
        }

        process.StandardInput.Close();
        process.WaitForExit(30_000).Should().BeTrue("mosquitto_pub finishes");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
