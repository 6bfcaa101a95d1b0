using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Telemetry;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace EdgeAgent.Tests.Telemetry;

public sealed class TelemetryServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Publishes_state_outbox_and_pipeline_counters_to_the_telemetry_topic_at_qos0()
    {
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/testdev/telemetry");
        await using var agent = await InProcessAgent.StartAsync(_dir.Path,
            services => services.AddSingleton<ITelemetryContributor>(new Counters()),
            "mqtt.host=127.0.0.1", $"mqtt.port={_broker.Port}", "telemetry.intervalSeconds=1");

        var messages = await subscriber.WaitForAsync(m => m.Count >= 1, TimeSpan.FromSeconds(30), "a telemetry report");
        messages[0].Retained.Should().BeFalse();
        var report = JsonDocument.Parse(messages[0].Payload).RootElement;
        report.GetProperty("device").GetString().Should().Be("testdev");
        report.GetProperty("type").GetString().Should().Be("telemetry");
        DateTimeOffset.Parse(report.GetProperty("ts").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Offset.Should().Be(TimeSpan.Zero);
        report.GetProperty("mqtt").GetProperty("state").GetString().Should().Be("connected");
        foreach (var field in new[] { "depth", "bytes", "oldestAgeSeconds", "dropped" })
        {
            report.GetProperty("outbox").TryGetProperty(field, out _).Should().BeTrue(field);
        }

        report.GetProperty("pipelines").GetProperty("vibration").GetProperty("windows").GetInt64().Should().Be(42);
        report.GetProperty("uptimeSeconds").GetInt64().Should().BeGreaterThanOrEqualTo(0);
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }

    private sealed class Counters : ITelemetryContributor
    {
        public string Name => "vibration";

        public void WriteCounters(Utf8JsonWriter writer) => writer.WriteNumber("windows", 42);
    }
}
