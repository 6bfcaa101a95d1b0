using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Outbox;

/// <summary>
/// Issue 17, defect 7: a wall clock stepped forward past outbox.maxAgeHours (a Pi without an RTC syncing NTP)
/// dropped fresh events as "older than 168 h". The outbox's age is monotonic within a boot and wall time only
/// across boots. The real SQLite file; the wall clock, boot id and uptime are the test's (stepping the machine's
/// clock would disturb everything else running on it).
/// </summary>
public sealed class OutboxClockTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly SteppedTime _time = new();

    private sealed class SteppedTime : TimeProvider
    {
        public DateTimeOffset Wall { get; set; } = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Wall;
    }

    [Fact]
    public void A_wall_clock_stepped_forward_within_a_boot_drops_nothing()
    {
        Boot("boot-a", uptimeSeconds: 100);
        Enqueue(10);

        _time.Wall += TimeSpan.FromHours(200); // NTP: far past maxAgeHours (168)
        Boot("boot-a", uptimeSeconds: 130);     // the agent restarts 30 s later, same boot
        using var outbox = Open();
        outbox.Start();
        outbox.Enqueue("events/t"u8, "{}"u8, MessageOptions.Event); // a commit, and with it the first age check

        outbox.Statistics.Dropped.Should().Be(0, "the messages are 30 s old, whatever the wall clock says");
        outbox.Statistics.Depth.Should().Be(11);
        outbox.Statistics.OldestAgeSeconds(outbox.NowMs()).Should().BeInRange(29.9, 40);
    }

    [Fact]
    public void A_wall_clock_stepped_back_within_a_boot_does_not_keep_expired_messages()
    {
        Boot("boot-a", uptimeSeconds: 100);
        Enqueue(10);

        _time.Wall -= TimeSpan.FromDays(30);
        Boot("boot-a", uptimeSeconds: 100 + (170 * 3600)); // 170 h later by the kernel's count
        using var outbox = Open();
        outbox.Start();
        outbox.Enqueue("events/t"u8, "{}"u8, MessageOptions.Event);

        outbox.Statistics.Dropped.Should().Be(10, "they are 170 h old, more than maxAgeHours");
        outbox.Statistics.Depth.Should().Be(1);
    }

    [Fact]
    public void Across_boots_age_is_wall_time()
    {
        Boot("boot-a", uptimeSeconds: 100);
        Enqueue(10);

        _time.Wall += TimeSpan.FromHours(200);
        Boot("boot-b", uptimeSeconds: 20); // a reboot: the only clock both boots share is the wall clock
        using var outbox = Open();
        outbox.Start();
        outbox.Enqueue("events/t"u8, "{}"u8, MessageOptions.Event);

        outbox.Statistics.Dropped.Should().Be(10);
        outbox.Statistics.Depth.Should().Be(1);
    }

    private void Enqueue(int count)
    {
        using var outbox = Open();
        outbox.Start();
        for (var i = 0; i < count; i++)
        {
            outbox.Enqueue("events/t"u8, "{}"u8, MessageOptions.Event);
        }
    }

    private void Boot(string bootId, double uptimeSeconds)
    {
        File.WriteAllText(_dir.Combine("boot_id"), bootId + "\n");
        File.WriteAllText(_dir.Combine("uptime"), FormattableString.Invariant($"{uptimeSeconds:0.00} 12.00\n"));
    }

    private DurableOutbox Open() => new(new OutboxOptions { MaxAgeHours = 168 }, _dir.Combine("outbox.db"), NullLogger<DurableOutbox>.Instance,
        new ClockSources(_time, _dir.Combine("boot_id"), _dir.Combine("uptime")));

    public void Dispose() => _dir.Dispose();
}
