using System.Collections.Concurrent;
using System.Text;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Outbox;

/// <summary>Many producers at QoS 0 and 1 at once: the pump's group commits still send every message once, in order.</summary>
public sealed class ConcurrentProducersTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Concurrent_producers_and_the_pump_send_every_message_once_in_commit_order()
    {
        using var outbox = new DurableOutbox(new OutboxOptions(), _dir.Combine("outbox.db"), NullLogger<DurableOutbox>.Instance);
        var sink = new AcknowledgingSink(outbox);
        outbox.Start();
        outbox.AttachSink(sink);
        var producers = Enumerable.Range(0, 8).Select(p => new Thread(() =>
        {
            for (var i = 0; i < 300; i++)
            {
                outbox.Enqueue("events/test"u8, Encoding.UTF8.GetBytes($"{p}-{i}"), i % 3 == 0 ? new MessageOptions(0, false) : MessageOptions.Event);
            }
        })).ToList();
        producers.ForEach(t => t.Start());
        producers.ForEach(t => t.Join());

        SpinWait.SpinUntil(() => sink.Sent.Count == 2400 && outbox.Statistics.Depth == 0, TimeSpan.FromSeconds(30));
        sink.Sent.Should().HaveCount(2400);
        var seqs = sink.Sent.Select(s => long.Parse(s.Id.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        seqs.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        foreach (var producer in Enumerable.Range(0, 8))
        {
            sink.Sent.Select(s => s.Payload).Where(p => p.StartsWith($"{producer}-", StringComparison.Ordinal))
                .Should().Equal(Enumerable.Range(0, 300).Select(i => $"{producer}-{i}"), "each producer's messages keep their order");
        }

        outbox.Statistics.Depth.Should().Be(0, "every message was acknowledged and deleted");
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Acknowledges every message as soon as it is handed over (what a broker's PUBACK does, later).</summary>
    private sealed class AcknowledgingSink(DurableOutbox outbox) : IOutboxSink
    {
        private int _mid;

        public ConcurrentQueue<(int Thread, string Payload, string Id)> Sent { get; } = new();

        public int ConnectionGeneration => 1;

        public SendResult Send(int generation, ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, byte qos, bool retain, ReadOnlySpan<byte> id, out int mid)
        {
            mid = (++_mid % 65535) + 1;
            Sent.Enqueue((Environment.CurrentManagedThreadId, Encoding.UTF8.GetString(payload), Encoding.UTF8.GetString(id.TrimEnd((byte)0))));
            outbox.OnAcknowledged(generation, mid, rejected: false);
            return SendResult.Sent;
        }
    }
}
