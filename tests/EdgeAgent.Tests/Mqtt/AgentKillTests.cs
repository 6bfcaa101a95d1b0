using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

/// <summary>The real executable killed with SIGKILL: the Last Will speaks for it, and its outbox loses nothing.</summary>
[Trait("Category", "Process")]
public sealed class AgentKillTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    private string Config() => _dir.Write("edgeagent.json", $$"""
        {
          "deviceId": "killdev",
          "stateDirectory": "{{_dir.Combine("state")}}",
          "logging": { "file": { "enabled": false }, "console": "plain" },
          "mqtt": { "host": "127.0.0.1", "port": {{_broker.Port}}, "reconnect": { "minDelayMilliseconds": 200, "maxDelaySeconds": 1 } },
          "telemetry": { "enabled": false }
        }
        """);

    [Fact]
    public async Task Killed_mid_stream_the_will_says_offline_and_after_restart_every_accepted_event_arrives()
    {
        var config = Config();
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/killdev/#", persistentClientId: "kill-test-sub");
        using (var bench = AgentProcess.Start(["mqtt", "bench", "--config", config, "--count", "1000000", "--rate", "2000", "--drain-rate", "300", "--producers", "2"]))
        {
            // Draining far slower than offering keeps a backlog even when a loaded machine slows the producers.
            await subscriber.WaitForAsync(m => m.Count(x => x.Topic.EndsWith("/bench", StringComparison.Ordinal)) >= 600,
                TimeSpan.FromSeconds(60), "bench events flowing; agent stderr: " + bench.StandardError);
            subscriber.Messages.Should().Contain(m => m.Topic == "edgeagent/killdev/status" && m.Payload == "online");
            bench.Signal(AgentProcess.SIGKILL);
            await bench.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        // The broker notices the dead connection at once (the socket closes) and publishes the Last Will.
        await subscriber.WaitForAsync(m => m.LastOrDefault(x => x.Topic == "edgeagent/killdev/status")?.Payload == "offline",
            TimeSpan.FromSeconds(30), "the Last Will 'offline'");

        // Everything committed before the kill is in the file: that is what "accepted" means.
        long accepted;
        long waiting;
        using (var connection = OutboxStore.OpenReadOnly(_dir.Combine("state", "outbox.db"))!)
        {
            var totals = OutboxStore.ReadTotals(connection);
            accepted = totals.LastSeq;
            waiting = totals.Count;
        }

        accepted.Should().BeGreaterThan(600);
        waiting.Should().BeGreaterThan(100, "the bench offered events faster than it drained them, so a backlog was waiting at the kill");

        var before = subscriber.Messages.Count;
        using var agent = AgentProcess.Start(["run", "--config", config]);
        await subscriber.WaitForAsync(m => m.Skip(before).Any(x => x.Topic == "edgeagent/killdev/status" && x.Payload == "online"),
            TimeSpan.FromSeconds(60), "'online' from the restarted agent");
        var received = await subscriber.WaitForAsync(m => Seqs(m).Count >= accepted, TimeSpan.FromSeconds(90),
            $"all {accepted} accepted events ({waiting} were still in the outbox at the kill)");
        Seqs(received).Should().Equal(Enumerable.Range(1, (int)accepted).Select(i => (long)i), "every accepted event arrives, in order, after dedupe by id");
        received.Last(m => m.Topic == "edgeagent/killdev/status").Payload.Should().Be("online");
        subscriber.Messages.Skip(before).Should().Contain(m => m.Topic.EndsWith("/bench", StringComparison.Ordinal), "the backlog was sent by the restarted agent");

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        await subscriber.WaitForAsync(m => m.Last(x => x.Topic == "edgeagent/killdev/status").Payload == "offline",
            TimeSpan.FromSeconds(10), "'offline' published on a clean stop");
        agent.StandardError.Should().Contain("published 'offline'");
        _broker.Log.Should().Contain("Client killdev disconnected.", "a clean stop sends DISCONNECT, so the broker does not fire the Last Will");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    /// <summary>The seq part of each id ("epoch-seq"), first arrival only.</summary>
    private static List<long> Seqs(IReadOnlyList<MqttSubscriber.Received> messages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return messages.Where(m => m.Topic.EndsWith("/bench", StringComparison.Ordinal) && seen.Add(m.Id!))
            .Select(m => long.Parse(m.Id!.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
