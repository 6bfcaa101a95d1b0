using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class MqttSourceTests
{
    /// <summary>Delivers payloads to the subscribed handler as the MQTT link would (a test seam for the link).</summary>
    private sealed class InMemorySubscriptions : IMessageSubscriptions
    {
        public List<(string Filter, MessageHandler Handler, int Max)> Active { get; } = [];

        public IDisposable Subscribe(string topicFilter, MessageHandler handler, int maxPayloadBytes = 256 * 1024)
        {
            var entry = (topicFilter, handler, maxPayloadBytes);
            lock (Active)
            {
                Active.Add(entry);
            }

            return new Unsubscribe(() =>
            {
                lock (Active)
                {
                    Active.Remove(entry);
                }
            });
        }

        public void Deliver(string topic, string payload)
        {
            foreach (var (_, handler, _) in Active.ToList())
            {
                handler(topic, System.Text.Encoding.UTF8.GetBytes(payload));
            }
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }

    [Fact]
    public async Task Takes_fields_by_path_and_counts_what_it_cannot_use()
    {
        var link = new InMemorySubscriptions();
        var context = new SourceContext("mqtt", 3, [new SourceChannelOptions { Name = "t", Field = "temperature" }, new SourceChannelOptions { Name = "p", Field = "sensors.0.value" }], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var source = new MqttSource(context, new MqttSourceOptions { Topic = "zigbee2mqtt/+", TimestampField = "time", MaxPayloadBytes = 200 }, link);
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => link.Active.Count == 1, "the subscription");
        link.Active[0].Filter.Should().Be("zigbee2mqtt/+");

        link.Deliver("zigbee2mqtt/kitchen", """{"time":"2024-05-01T10:00:00Z","temperature":21.5,"sensors":[{"value":1013.2}]}""");
        link.Deliver("zigbee2mqtt/kitchen", """{"time":"2024-05-01T10:00:10Z","humidity":40,"sensors":[{"value":"n/a"}]}""");
        link.Deliver("zigbee2mqtt/kitchen", """{"temperature":22}""");
        link.Deliver("zigbee2mqtt/kitchen", "online");
        link.Deliver("zigbee2mqtt/kitchen", "{\"temperature\":1,\"pad\":\"" + new string('x', 300) + "\"}");
        link.Deliver("zigbee2mqtt/kitchen", """{"time":1714557620,"temperature":22.5,"sensors":[{"value":1013}]}""");
        await SourceRunner.Until(() => runner.Samples.Count >= 4, "four samples");

        runner.Samples.Select(s => (s.Channel, s.Value)).Should().Equal((3, 21.5), (4, 1013.2), (3, 22.5), (4, 1013));
        new DateTime(runner.Samples[2].TimestampTicks).Should().Be(new DateTime(2024, 5, 1, 10, 0, 20));
        source.Counters[BadInput.MissingField].Should().Be(2, "no temperature in the second payload, no time in the third");
        source.Counters[BadInput.NonNumeric].Should().Be(1);
        source.Counters[BadInput.MalformedLine].Should().Be(1);
        source.Counters[BadInput.OversizedPayload].Should().Be(1);
    }

    [Fact]
    public async Task A_timestamp_beyond_now_plus_the_tolerance_is_rejected_not_adopted_as_now()
    {
        var link = new InMemorySubscriptions();
        var context = new SourceContext("mqtt", 0, [new SourceChannelOptions { Name = "t", Field = "temperature" }],
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeSpan.FromMinutes(5));
        var source = new MqttSource(context, new MqttSourceOptions { Topic = "t", TimestampField = "ts" }, link);
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => link.Active.Count == 1, "the subscription");

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        link.Deliver("t", $$"""{"ts":{{now - 2}},"temperature":1}""");
        link.Deliver("t", """{"ts":253402300798,"temperature":2}""");
        link.Deliver("t", $$"""{"ts":{{now + 600}},"temperature":3}""");
        link.Deliver("t", $$"""{"ts":{{now + 60}},"temperature":4}""");
        link.Deliver("t", $$"""{"ts":{{now - 1}},"temperature":5}""");
        await SourceRunner.Until(() => source.Counters.TotalBad >= 3 && runner.Samples.Count >= 2, "three rejections and two samples");

        runner.Samples.Select(s => s.Value).Should().Equal(1, 4);
        source.Counters[BadInput.TimestampInFuture].Should().Be(2, "9999-12-31 and 10 minutes ahead are beyond the 5-minute tolerance");
        source.Counters[BadInput.TimestampBackwards].Should().Be(1, "a minute ahead is within it, and is the channel's time from then on");
    }

    [Fact]
    public async Task Stopping_the_source_unsubscribes()
    {
        var link = new InMemorySubscriptions();
        var source = new MqttSource(SourceRunner.Context("mqtt", "v"), new MqttSourceOptions { Topic = "a/#" }, link);
        var runner = new SourceRunner(source);
        await SourceRunner.Until(() => link.Active.Count == 1, "the subscription");
        await runner.DisposeAsync();
        link.Active.Should().BeEmpty();
    }
}
