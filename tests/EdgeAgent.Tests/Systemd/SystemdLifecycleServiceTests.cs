using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Systemd;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Systemd;

public sealed class SystemdLifecycleServiceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();

        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();
    }

    private (SystemdLifecycleService Service, Lifetime Lifetime, HealthMonitor Health, ReadinessGate Gate, NotifySocketListener Listener)
        Create(TimeSpan watchdog, int graceSeconds = 30)
    {
        var listener = new NotifySocketListener(_dir.Combine($"n{Guid.NewGuid():N}.sock"));
        var lifetime = new Lifetime();
        var health = new HealthMonitor();
        var gate = new ReadinessGate();
        var service = new SystemdLifecycleService(
            new SystemdNotifier(listener.Address),
            new WatchdogSettings(listener.Address, watchdog),
            health,
            gate,
            lifetime,
            new AgentOptions { DeviceId = "dev", StartupGraceSeconds = graceSeconds },
            NullLogger<SystemdLifecycleService>.Instance);
        return (service, lifetime, health, gate, listener);
    }

    [Fact]
    public async Task Ready_waits_for_registered_pipelines_and_watchdog_stops_when_one_wedges()
    {
        var (service, lifetime, health, gate, listener) = Create(TimeSpan.FromMilliseconds(200));
        using var _ = listener;
        var heartbeat = new Heartbeat("pipeline demo", TimeSpan.FromMilliseconds(1500));
        health.Register(heartbeat);
        gate.Register("pipeline demo");

        await service.StartAsync(CancellationToken.None);
        lifetime.Started.Cancel();
        await Task.Delay(300);
        listener.Received.Should().NotContain(m => m.Contains("READY=1"), "the pipeline has not started yet");

        gate.Started("pipeline demo");
        using var beating = new CancellationTokenSource();
        var beater = Task.Run(async () =>
        {
            while (!beating.IsCancellationRequested)
            {
                heartbeat.Beat();
                await Task.Delay(50);
            }
        });
        (await listener.WaitForAsync("READY=1", TimeSpan.FromSeconds(5))).Should().Contain("STATUS=healthy; pipeline demo: starting");
        await listener.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));

        // The pipeline wedges: no more beats, so pings must stop and STATUS must say why.
        await beating.CancelAsync();
        await beater;
        await listener.WaitForAsync(
            l => l.StartsWith("STATUS=unhealthy; pipeline demo: no progress for", StringComparison.Ordinal), "STATUS=unhealthy", TimeSpan.FromSeconds(5));
        await Task.Delay(300);
        int count;
        lock (listener.Received)
        {
            count = listener.Received.Count;
        }

        await Task.Delay(600);
        lock (listener.Received)
        {
            listener.Received.Skip(count).Should().NotContain("WATCHDOG=1");
        }

        lifetime.StopApplication();
        await listener.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(5));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_component_that_never_starts_delays_ready_only_for_the_grace_period()
    {
        var (service, lifetime, _, gate, listener) = Create(TimeSpan.FromSeconds(10), graceSeconds: 1);
        using var _ = listener;
        gate.Register("camera front-door");
        await service.StartAsync(CancellationToken.None);
        var started = DateTime.UtcNow;
        lifetime.Started.Cancel();
        await listener.WaitForAsync("READY=1", TimeSpan.FromSeconds(10));
        (DateTime.UtcNow - started).Should().BeGreaterThan(TimeSpan.FromMilliseconds(900));
        await service.StopAsync(CancellationToken.None);
    }

    public void Dispose() => _dir.Dispose();
}
