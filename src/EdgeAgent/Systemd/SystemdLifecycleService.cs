using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Systemd;

/// <summary>
/// Tells systemd where the agent is in its life: READY once the pipelines run, STATUS as health changes,
/// WATCHDOG while (and only while) no component is unhealthy, STOPPING when a stop begins.
/// </summary>
internal sealed partial class SystemdLifecycleService : BackgroundService
{
    // Without a watchdog, STATUS is still refreshed at this pace.
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(10);

    private readonly SystemdNotifier _notifier;
    private readonly WatchdogSettings _settings;
    private readonly HealthMonitor _health;
    private readonly ReadinessGate _gate;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly AgentOptions _options;
    private readonly ILogger<SystemdLifecycleService> _logger;
    private string? _reportedError;

    public SystemdLifecycleService(
        SystemdNotifier notifier,
        WatchdogSettings settings,
        HealthMonitor health,
        ReadinessGate gate,
        IHostApplicationLifetime lifetime,
        AgentOptions options,
        ILogger<SystemdLifecycleService> logger)
    {
        _notifier = notifier;
        _settings = settings;
        _health = health;
        _gate = gate;
        _lifetime = lifetime;
        _options = options;
        _logger = logger;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _lifetime.ApplicationStopping.Register(() =>
        {
            LogStopping(_logger);
            Report(_notifier.Stopping("stopping: flushing pending results"));
        });
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitAsync(_lifetime.ApplicationStarted, stoppingToken).ConfigureAwait(false);
        var late = await _gate.WaitAsync(TimeSpan.FromSeconds(_options.StartupGraceSeconds), stoppingToken).ConfigureAwait(false);
        if (late.Count > 0)
        {
            LogLateStart(_logger, _options.StartupGraceSeconds, string.Join(", ", late));
        }

        var status = HealthMonitor.Summarize(_health.CheckAll());
        Report(_notifier.Ready(status));
        LogReady(_logger, _options.DeviceId, status);

        var withholding = false;
        using var timer = new PeriodicTimer(_settings.PingInterval ?? StatusInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var reports = _health.CheckAll();
            var summary = HealthMonitor.Summarize(reports);
            var healthy = HealthMonitor.Overall(reports) != HealthState.Unhealthy;
            if (_settings.WatchdogTimeout is not null)
            {
                if (healthy)
                {
                    Report(_notifier.Watchdog());
                }
                else if (!withholding)
                {
                    // systemd will now restart us at the deadline, which is the point: a wedged loop does not heal itself.
                    LogWithholding(_logger, summary);
                }

                withholding = !healthy;
            }

            if (summary != status)
            {
                status = summary;
                Report(_notifier.Status(status));
            }
        }
    }

    private void Report(bool sent)
    {
        if (!sent && _notifier.LastError is { } error && error != _reportedError)
        {
            LogNotifyFailed(_logger, error);
        }

        _reportedError = _notifier.LastError;
    }

    private static async Task WaitAsync(CancellationToken signal, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = signal.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "EdgeAgent ready on device {DeviceId}: {Status}")]
    private static partial void LogReady(ILogger logger, string deviceId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not started within the {GraceSeconds}s start-up grace period, going ready without them: {Components}")]
    private static partial void LogLateStart(ILogger logger, int graceSeconds, string components);

    [LoggerMessage(Level = LogLevel.Error, Message = "Withholding the systemd watchdog ping while unhealthy: {Summary}")]
    private static partial void LogWithholding(ILogger logger, string summary);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Error}. The agent keeps running; if systemd started it with Type=notify it will consider the start failed")]
    private static partial void LogNotifyFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping")]
    private static partial void LogStopping(ILogger logger);
}
