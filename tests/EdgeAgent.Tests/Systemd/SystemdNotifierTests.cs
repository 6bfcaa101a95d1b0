using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Systemd;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Systemd;

public sealed class SystemdNotifierTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Sends_state_to_a_socket_path()
    {
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var notifier = new SystemdNotifier(listener.Address);
        notifier.Ready("3 pipelines running").Should().BeTrue();
        (await listener.WaitForAsync("READY=1", TimeSpan.FromSeconds(5))).Should().Be("READY=1\nSTATUS=3 pipelines running");
        notifier.Watchdog().Should().BeTrue();
        await listener.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Abstract_socket_names_work()
    {
        using var listener = new NotifySocketListener($"@edgeagent-test-{Guid.NewGuid():N}");
        using var notifier = new SystemdNotifier(listener.Address);
        notifier.Stopping("bye").Should().BeTrue();
        (await listener.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(5))).Should().Contain("STATUS=bye");
    }

    [Fact]
    public void Missing_socket_fails_softly_with_a_reason_then_recovers()
    {
        var path = _dir.Combine("later.sock");
        using var notifier = new SystemdNotifier(path);
        notifier.Status("x").Should().BeFalse();
        notifier.LastError.Should().Contain(path).And.Contain("cannot notify systemd");

        using var listener = new NotifySocketListener(path);
        notifier.Status("y").Should().BeTrue();
        notifier.LastError.Should().BeNull();
    }

    [Fact]
    public void Without_NOTIFY_SOCKET_nothing_is_sent()
    {
        using var notifier = new SystemdNotifier(null);
        notifier.IsEnabled.Should().BeFalse();
        notifier.Ready("x").Should().BeFalse();
        notifier.LastError.Should().BeNull();
    }

    [Fact]
    public void Watchdog_settings_respect_WATCHDOG_PID()
    {
        var mine = WatchdogSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["WATCHDOG_USEC"] = "4000000",
            ["WATCHDOG_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        mine.PingInterval.Should().Be(TimeSpan.FromSeconds(2));
        WatchdogSettings.FromEnvironment(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "4000000", ["WATCHDOG_PID"] = "1" })
            .WatchdogTimeout.Should().BeNull("the deadline belongs to another process");
        WatchdogSettings.FromEnvironment(new Dictionary<string, string> { ["WATCHDOG_USEC"] = "junk" }).WatchdogTimeout.Should().BeNull();
    }

    public void Dispose() => _dir.Dispose();
}
