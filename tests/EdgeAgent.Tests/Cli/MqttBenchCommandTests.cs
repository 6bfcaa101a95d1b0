using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary><c>edgeagent mqtt bench</c> and <c>edgeagent outbox stats</c> through the real executable.</summary>
[Trait("Category", "Process")]
public sealed class MqttBenchCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    private string Config() => _dir.Write("edgeagent.json", $$"""
        {
          "deviceId": "benchdev",
          "stateDirectory": "{{_dir.Combine("state")}}",
          "logging": { "file": { "enabled": false }, "console": "none" },
          "mqtt": { "host": "127.0.0.1", "port": {{_broker.Port}} }
        }
        """);

    [Fact]
    public async Task Bench_delivers_every_event_through_the_outbox_and_allocates_nothing_per_event()
    {
        var config = Config();
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/benchdev/bench");
        await Task.Delay(300);
        var (code, stdout, stderr) = await AgentProcess.RunAsync(["mqtt", "bench", "--config", config, "--count", "5000", "--qos", "1", "--json"],
            timeout: TimeSpan.FromSeconds(120));
        code.Should().Be(0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        result.GetProperty("acknowledged").GetInt64().Should().Be(5000);
        result.GetProperty("complete").GetBoolean().Should().BeTrue();
        result.GetProperty("latencyMs").GetProperty("p99").GetDouble().Should().BePositive();

        // A count, not a timing: the publish path allocates no managed memory per event once warm.
        result.GetProperty("allocatedBytesPerEvent").GetProperty("producers").GetDouble().Should().Be(0);
        result.GetProperty("allocatedBytesPerEvent").GetProperty("process").GetDouble().Should().BeLessThan(16,
            "timers and the host allocate a little in the background; per event it must round to nothing");
        await subscriber.WaitForAsync(m => m.Count >= 5000, TimeSpan.FromSeconds(60), "every bench event at the subscriber");

        var (statsCode, statsOut, statsErr) = await AgentProcess.RunAsync(["outbox", "stats", "--config", config, "--json"]);
        statsCode.Should().Be(0, statsErr);
        var stats = JsonDocument.Parse(statsOut).RootElement;
        stats.GetProperty("depth").GetInt64().Should().Be(0, "every acknowledged event was deleted");
        stats.GetProperty("lastSeq").GetInt64().Should().Be(5000);
        stats.GetProperty("dropped").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Outbox_stats_reports_what_waits_while_mqtt_is_disabled()
    {
        var state = _dir.Combine("offline-state");
        await using (var agent = await InProcessAgent.StartAsync(state, "mqtt.enabled=false"))
        {
            var queue = (EdgeAgent.Pipelines.Events.IOutboundQueue)agent.Services.GetService(typeof(EdgeAgent.Pipelines.Events.IOutboundQueue))!;
            for (var i = 0; i < 25; i++)
            {
                queue.Enqueue("events/test"u8, "{\"n\":1}"u8, EdgeAgent.Pipelines.Events.MessageOptions.Event);
            }

            agent.Outbox.Statistics.Depth.Should().Be(25, "with MQTT disabled the outbox still accepts and keeps events");
        }

        var config = _dir.Write("offline.json", $$"""{ "stateDirectory": "{{state}}", "mqtt": { "enabled": false } }""");
        var (code, stdout, _) = await AgentProcess.RunAsync(["outbox", "stats", "--config", config]);
        code.Should().Be(0);
        stdout.Should().Contain("depth       25 messages").And.Contain("dropped     0");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
