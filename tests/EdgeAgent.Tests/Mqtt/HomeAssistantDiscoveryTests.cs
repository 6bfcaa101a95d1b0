using System.Text.Json;
using EdgeAgent.Mqtt;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Mqtt;

public sealed class HomeAssistantDiscoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task When_enabled_publishes_a_retained_availability_entity_fed_by_the_status_topic()
    {
        await using (var agent = await InProcessAgent.StartAsync(_dir.Path,
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}", "mqtt.homeAssistant.enabled=true"))
        {
            await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected");
            await Task.Delay(500);
        }

        // A subscriber arriving later still gets it: discovery configs are retained.
        using var late = new MqttSubscriber(_broker.Port, "homeassistant/#");
        var messages = await late.WaitForAsync(m => m.Count >= 1, TimeSpan.FromSeconds(30), "a retained discovery config");
        var config = messages.Single(m => m.Topic == "homeassistant/binary_sensor/edgeagent_testdev/status/config");
        config.Retained.Should().BeTrue();
        var json = JsonDocument.Parse(config.Payload).RootElement;
        json.GetProperty("state_topic").GetString().Should().Be("edgeagent/testdev/status");
        json.GetProperty("payload_on").GetString().Should().Be("online");
        json.GetProperty("device_class").GetString().Should().Be("connectivity");
    }

    [Fact]
    public async Task Is_off_by_default()
    {
        await using (var agent = await InProcessAgent.StartAsync(_dir.Path, "mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}"))
        {
            await agent.WaitUntilAsync(a => a.Link.State == ConnectionState.Connected, TimeSpan.FromSeconds(30), "connected");
        }

        using var late = new MqttSubscriber(_broker.Port, "#");
        await late.WaitForAsync(m => m.Any(x => x.Topic == "edgeagent/testdev/status"), TimeSpan.FromSeconds(30), "the retained status");
        late.Messages.Should().NotContain(m => m.Topic.StartsWith("homeassistant/", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
