using System.Globalization;
using System.Text;
using EdgeAgent.Mqtt;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

/// <summary>Store-and-forward across a broker outage, against a real mosquitto.</summary>
public sealed class BrokerRestartTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Broker_stopped_mid_stream_and_restarted_every_event_arrives_in_order()
    {
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/testdev/events/#", persistentClientId: "restart-test-sub");
        await using var agent = await InProcessAgent.StartAsync(_dir.Path,
            $"mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}", "mqtt.reconnect.minDelayMilliseconds=200", "mqtt.reconnect.maxDelaySeconds=1",
            "outbox.drainRatePerSecond=0");
        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected");
        var queue = agent.Services.GetService(typeof(IOutboundQueue)) as IOutboundQueue;

        const int total = 3000;
        var producer = Task.Run(async () =>
        {
            for (var i = 1; i <= total; i++)
            {
                queue!.Enqueue("events/test"u8, Event(i), MessageOptions.Event);
                if (i % 50 == 0)
                {
                    await Task.Delay(20);
                }
            }
        });

        await subscriber.WaitForAsync(m => m.Count >= 300, TimeSpan.FromSeconds(60), "the first events");
        _broker.Stop();
        await agent.WaitUntilAsync(a => a.Link.State != ConnectionState.Connected, TimeSpan.FromSeconds(30), "the link noticing the outage");
        agent.Link.Check(0).State.Should().Be(EdgeAgent.Pipelines.Health.HealthState.Degraded, "a broker outage degrades, never fails, the agent");
        await Task.Delay(1500); // events keep being accepted into the outbox meanwhile
        agent.Outbox.Statistics.Depth.Should().BeGreaterThan(0, "events accepted during the outage wait in the outbox");
        _broker.Start();

        await producer;
        var received = await subscriber.WaitForAsync(m => Distinct(m).Count >= total, TimeSpan.FromSeconds(90), $"all {total} events");
        Distinct(received).Select(m => m.N).Should().Equal(Enumerable.Range(1, total), "every event arrives, in order, once duplicates are dropped by id");
        await agent.WaitUntilAsync(a => a.Outbox.Statistics.Depth == 0, TimeSpan.FromSeconds(30), "the outbox emptying after PUBACKs");
        agent.Outbox.Statistics.Dropped.Should().Be(0);
    }

    [Fact]
    public async Task A_backlog_drains_no_faster_than_the_configured_rate()
    {
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/testdev/events/#");
        await using var agent = await InProcessAgent.StartAsync(_dir.Path,
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}", "outbox.drainRatePerSecond=100");
        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected");
        await Task.Delay(300);
        var queue = (IOutboundQueue)agent.Services.GetService(typeof(IOutboundQueue))!;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 1; i <= 300; i++)
        {
            queue.Enqueue("events/test"u8, Event(i), MessageOptions.Event);
        }

        await subscriber.WaitForAsync(m => m.Count >= 300, TimeSpan.FromSeconds(60), "the whole backlog");

        // A lower bound only (a slow machine makes it longer, never shorter): 300 messages at 100/s take ~3 s.
        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2), "the drain rate spreads a backlog out");
        Distinct(subscriber.Messages).Select(m => m.N).Should().Equal(Enumerable.Range(1, 300));
    }

    [Fact]
    public async Task A_dead_link_is_noticed_by_keepalive_and_the_agent_reconnects()
    {
        await using var agent = await InProcessAgent.StartAsync(_dir.Path,
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}", "mqtt.keepAliveSeconds=5",
            "mqtt.reconnect.minDelayMilliseconds=200", "mqtt.reconnect.maxDelaySeconds=1");
        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected");

        // The TCP connection stays up but the broker is silent: only keepalive can tell.
        _broker.Freeze(true);
        try
        {
            await agent.WaitUntilAsync(a => a.Link.State != ConnectionState.Connected, TimeSpan.FromSeconds(30), "keepalive declaring the link dead");
        }
        finally
        {
            _broker.Freeze(false);
        }

        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "reconnected");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    internal static byte[] Event(int n) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"ts":"{{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ}}","device":"testdev","pipeline":"test","type":"anomaly","n":{{n}}}"""));

    /// <summary>Dedupe by the message id (the MQTT 5 user property), keeping first arrivals in arrival order.</summary>
    internal static List<(string Id, int N)> Distinct(IReadOnlyList<MqttSubscriber.Received> messages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, int)>();
        foreach (var message in messages)
        {
            message.Id.Should().NotBeNullOrEmpty("every outbox message carries its id");
            if (seen.Add(message.Id!))
            {
                var n = System.Text.Json.JsonDocument.Parse(message.Payload).RootElement.GetProperty("n").GetInt32();
                result.Add((message.Id!, n));
            }
        }

        return result;
    }
}
