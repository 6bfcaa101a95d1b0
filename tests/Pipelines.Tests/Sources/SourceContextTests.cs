using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class SourceContextTests
{
    [Fact]
    public void Rejections_are_all_counted_and_logged_at_most_once_per_ten_seconds()
    {
        var logger = new CapturingLogger();
        var context = new SourceContext("pipe/replay0", 0, [new SourceChannelOptions()], logger);
        for (var i = 0; i < 50; i++)
        {
            context.Reject(BadInput.NonNumeric, $"'value' is not a number ({i})");
        }

        context.Counters[BadInput.NonNumeric].Should().Be(50);
        logger.Messages.Should().ContainSingle().Which.Should().Be(
            "Source pipe/replay0: rejected input (NonNumeric): 'value' is not a number (0); 1 rejected so far (logged at most every 10 s)");
    }

    [Fact]
    public void The_gate_rejects_non_finite_values_and_timestamps_that_repeat_or_go_back_per_channel()
    {
        var context = new SourceContext("s", 4, [new SourceChannelOptions { Name = "a" }, new SourceChannelOptions { Name = "b" }], new CapturingLogger());
        context.TryAccept(0, 10, 1, out var sample).Should().BeTrue();
        sample.Should().Be(new Sample(10, 4, 1));
        context.TryAccept(1, 10, 2, out _).Should().BeTrue("the same time on another channel is fine");
        context.TryAccept(0, 10, 3, out _).Should().BeFalse();
        context.TryAccept(0, 9, 3, out _).Should().BeFalse();
        context.TryAccept(0, 11, double.NaN, out _).Should().BeFalse();
        context.TryAccept(0, 11, double.NegativeInfinity, out _).Should().BeFalse();
        context.TryAccept(0, 11, 5, out _).Should().BeTrue();
        context.Counters[BadInput.DuplicateTimestamp].Should().Be(1);
        context.Counters[BadInput.TimestampBackwards].Should().Be(1);
        context.Counters[BadInput.NonFinite].Should().Be(2);
        context.Counters.Samples.Should().Be(3);
        context.Counters.DescribeRejections().Should().Be("2 non finite, 1 timestamp backwards, 1 duplicate timestamp");
    }

    [Fact]
    public void A_dropped_sample_is_logged_with_its_channel_and_times()
    {
        var logger = new CapturingLogger();
        var context = new SourceContext("s", 0, [new SourceChannelOptions { Name = "Volume Flow RateRMS" }], logger);
        context.TryAccept(0, new DateTime(2024, 1, 1, 0, 5, 0).Ticks, 1, out _).Should().BeTrue();
        context.TryAccept(0, new DateTime(2024, 1, 1, 0, 4, 0).Ticks, 1, out _).Should().BeFalse();

        logger.Messages.Should().ContainSingle().Which.Should().Contain(
            "(TimestampBackwards): 'Volume Flow RateRMS' at 2024-01-01 00:04:00 is before the previous sample (2024-01-01 00:05:00); dropped");
        new SourceCounters().DescribeRejections().Should().BeEmpty();
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
