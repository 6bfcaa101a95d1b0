using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Inference;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

/// <summary>The one outage policy of the serial, replay, polled and FIFO sources (their own tests run it against real devices and files).</summary>
public sealed class DeviceLinkTests
{
    private readonly CapturingLogger _logger = new();
    private readonly SourceContext _context;

    public DeviceLinkTests()
    {
        _context = new SourceContext("s", 0, [new SourceChannelOptions { Name = "t" }], _logger);
    }

    [Fact]
    public void An_outage_is_lost_once_and_back_once_with_the_attempts_it_took()
    {
        var link = new DeviceLink(_context, TimeSpan.FromSeconds(4));
        link.Opened("/dev/x");
        link.ReadFailed("/dev/x", "hung up");
        var delays = Enumerable.Range(0, 4).Select(_ => link.OpenFailed("/dev/x", "no such device")).ToList();
        link.Opened("/dev/x");

        _context.Counters.ReadErrors.Should().Be(5, "the failed read and each failed open");
        _context.Counters.DeviceLost.Should().Be(1, "one outage however many attempts it takes");
        _context.Counters.DeviceBack.Should().Be(1);
        _logger.Entries.Select(e => e.Message).Should().Equal(
            "Source s: /dev/x is unavailable (hung up); retrying with backoff, the pipeline keeps running",
            "Source s: /dev/x is back after 4 attempt(s)");
        delays[0].TotalSeconds.Should().BeInRange(0.4, 0.6, "the first retry is 0.5 s ±20 %");
        delays[3].TotalSeconds.Should().BeInRange(3.2, 4.8, "doubling, capped at maxRetry");
    }

    [Fact]
    public void A_device_that_opens_at_once_is_neither_lost_nor_back_and_the_delays_start_over()
    {
        var link = new DeviceLink(_context, TimeSpan.FromMilliseconds(100));
        link.Opened("/dev/x");
        _context.Counters.DeviceBack.Should().Be(0);
        link.OpenFailed("/dev/x", "gone").TotalSeconds.Should().BeInRange(0.4, 0.6, "never below 0.5 s, even with a smaller maxRetry");
        link.Opened("/dev/x");
        link.OpenFailed("/dev/x", "gone again").TotalSeconds.Should().BeInRange(0.4, 0.6, "an open resets the backoff");
        _context.Counters.DeviceLost.Should().Be(2);
    }
}
