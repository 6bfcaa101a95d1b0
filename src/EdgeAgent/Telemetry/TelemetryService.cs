using EdgeAgent.Configuration;
using EdgeAgent.Mqtt;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Telemetry;

/// <summary>Publishes a report to <c>&lt;base&gt;/telemetry</c> (QoS 0, not retained) every <c>telemetry.intervalSeconds</c> while connected.</summary>
internal sealed partial class TelemetryService : BackgroundService
{
    private readonly MqttLink _link;
    private readonly DurableOutbox _outbox;
    private readonly HealthMonitor _health;
    private readonly IEnumerable<ITelemetryContributor> _contributors;
    private readonly TimeSpan _interval;
    private readonly TelemetryReport _report;
    private readonly ILogger<TelemetryService> _logger;

    public TelemetryService(AgentOptions options, MqttLink link, DurableOutbox outbox, HealthMonitor health,
        IEnumerable<ITelemetryContributor> contributors, ILogger<TelemetryService> logger)
    {
        _link = link;
        _outbox = outbox;
        _health = health;
        _contributors = contributors;
        _logger = logger;
        _interval = TimeSpan.FromSeconds(options.Telemetry.IntervalSeconds);
        _report = new TelemetryReport(options.DeviceId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_link.State != ConnectionState.Connected)
                {
                    continue; // a report about the outage is published after it, by the next tick
                }

                try
                {
                    _link.TryPublishTransient(MqttTopics.Telemetry, _report.Write(_link, _outbox, _health, _contributors));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A contributor's bug must not end telemetry for everyone; it is logged each time it happens.
                    LogReportFailed(_logger, ex.Message, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry report failed: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, string reason, Exception exception);
}
