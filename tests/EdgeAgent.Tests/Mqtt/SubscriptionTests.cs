using System.Collections.Concurrent;
using System.Text;
using EdgeAgent.Mqtt;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

public sealed class SubscriptionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Subscriptions_survive_a_broker_restart_and_bad_payloads_are_counted_not_fatal()
    {
        await using var agent = await InProcessAgent.StartAsync(_dir.Path,
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}", "mqtt.reconnect.minDelayMilliseconds=200", "mqtt.reconnect.maxDelaySeconds=1");
        var received = new ConcurrentQueue<(string Topic, string Payload)>();
        var subscriptions = (IMessageSubscriptions)agent.Services.GetService(typeof(IMessageSubscriptions))!;
        using var subscription = subscriptions.Subscribe("ota/+/desired", (topic, payload) =>
        {
            var text = Encoding.UTF8.GetString(payload);
            if (text == "boom")
            {
                throw new FormatException("not JSON");
            }

            received.Enqueue((topic, text));
        }, maxPayloadBytes: 100);
        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected");

        await PublishUntilReceivedAsync("ota/a/desired", "first", received);
        Publish("ota/a/desired", new string('x', 500));
        Publish("ota/a/desired", "boom");
        await PublishUntilReceivedAsync("ota/a/desired", "after-bad", received);
        agent.Link.InboundDrops.Oversized.Should().Be(1);
        agent.Link.InboundDrops.Malformed.Should().Be(1);
        agent.Log.Should().Contain("over their subscription's size limit");

        _broker.Stop();
        await agent.WaitUntilAsync(a => a.Link.State != ConnectionState.Connected, TimeSpan.FromSeconds(30), "link down");
        _broker.Start();
        await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "reconnected");
        await PublishUntilReceivedAsync("ota/b/desired", "after-restart", received);
        received.Select(r => r.Topic).Should().Contain("ota/b/desired");
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    private void Publish(string topic, string payload) =>
        MosquittoBroker.Run("mosquitto_pub", "-h", "127.0.0.1", "-p", _broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", payload);

    // The subscription is sent right after CONNACK; until the broker has it, a publish may go unseen, so retry.
    private async Task PublishUntilReceivedAsync(string topic, string payload, ConcurrentQueue<(string Topic, string Payload)> received)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            Publish(topic, payload);
            await Task.Delay(100);
            if (received.Any(r => r.Payload == payload))
            {
                return;
            }
        }

        throw new TimeoutException($"'{payload}' on {topic} never reached the handler");
    }
}
