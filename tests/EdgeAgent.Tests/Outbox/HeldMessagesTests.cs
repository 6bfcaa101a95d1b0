using System.Text;
using EdgeAgent.Outbox;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Outbox;

/// <summary>The bounded in-memory queue the outbox holds messages in while its disk is full.</summary>
public sealed class HeldMessagesTests
{
    [Fact]
    public void The_count_bound_drops_the_oldest_and_visiting_resumes_after_a_seq_in_order()
    {
        var held = new HeldMessages(maxMessages: 100, maxBytes: long.MaxValue);
        var dropped = 0;
        for (var seq = 1; seq <= 250; seq++)
        {
            dropped += held.Add(seq, seq * 10, 1, false, "t"u8, Encoding.UTF8.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        dropped.Should().Be(150);
        held.Count.Should().Be(100);
        Visit(held, 0).Should().Equal(Enumerable.Range(151, 100).Select(i => (long)i));
        Visit(held, 200).Should().Equal(Enumerable.Range(201, 50).Select(i => (long)i));

        held.RemoveThrough(180).Should().Be(30);
        Visit(held, 0).First().Should().Be(181);
        held.Bytes.Should().Be(70 * (1 + 3 + OutboxStore.RowOverhead));
        held.Clear();
        held.Count.Should().Be(0);
        held.Bytes.Should().Be(0);
    }

    [Fact]
    public void The_byte_bound_drops_the_oldest_and_a_message_larger_than_the_bound_is_itself_dropped()
    {
        var size = 1000 + 1 + OutboxStore.RowOverhead;
        var held = new HeldMessages(maxMessages: 1000, maxBytes: 10L * size);
        var payload = new byte[1000];
        var dropped = 0;
        for (var seq = 1; seq <= 15; seq++)
        {
            dropped += held.Add(seq, 0, 1, false, "t"u8, payload);
        }

        dropped.Should().Be(5);
        held.Count.Should().Be(10);
        held.Bytes.Should().Be(10L * size);
        held.Add(16, 0, 1, false, "t"u8, new byte[20 * size]).Should().Be(1);
        Visit(held, 0).Should().Equal(Enumerable.Range(6, 10).Select(i => (long)i), "a message that can never fit takes nobody's place");
    }

    private static List<long> Visit(HeldMessages held, long after)
    {
        var visitor = new Collect([]);
        held.Visit(after, ref visitor);
        return visitor.Seqs;
    }

    private struct Collect(List<long> seqs) : IOutboxRowVisitor
    {
        public List<long> Seqs { get; } = seqs;

        public bool Visit(long seq, long timestampMs, byte qos, bool retain, ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
        {
            Seqs.Add(seq);
            return true;
        }
    }
}
