using System.Net;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace EdgeAgent.Metrics;

/// <summary>
/// Serves <c>/metrics</c> on <c>metrics.listen</c> with prometheus-net's HttpListener server. The values are read from
/// the counters the pipelines, outbox and link already keep, at each scrape (see <see cref="AgentMetrics"/>): nothing
/// is added to the data path. An endpoint that cannot listen is reported in health, never a reason to stop the agent.
/// </summary>
internal sealed partial class MetricsService : BackgroundService, IHealthSource
{
    private readonly MetricsOptions _options;
    private readonly AgentMetrics _metrics;
    private readonly HealthMonitor _health;
    private readonly ILogger<MetricsService> _logger;
    private IMetricServer? _server;
    private HealthReport _report;

    public MetricsService(AgentOptions options, AgentMetrics metrics, HealthMonitor health, ILogger<MetricsService> logger)
    {
        _options = options.Metrics;
        _metrics = metrics;
        _health = health;
        _logger = logger;
        _report = HealthReport.Healthy("serving on " + Url);
    }

    public string Name => "metrics";

    public string Url => $"http://{_options.Listen}/metrics";

    public HealthReport Check(long nowTicks) => _report;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _health.Register(this);
        try
        {
            // HttpListener spells "every address" as '+'.
            var host = _options.Host is "0.0.0.0" or "::" or "*" ? "+" : _options.Host.Contains(':', StringComparison.Ordinal) ? $"[{_options.Host}]" : _options.Host;
            _server = new MetricServer(host, _options.Port, "metrics/", _metrics.Registry).Start();
            LogServing(_logger, Url);
        }
        catch (Exception ex) when (ex is HttpListenerException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            _report = HealthReport.Degraded($"cannot listen on {_options.Listen}: {ex.Message}. Fix: free the port or set metrics.listen to another host:port");
            LogCannotListen(_logger, _options.Listen, ex.Message);
            return; // stays registered: STATUS, telemetry and doctor show why there is no endpoint

        }

        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await _server.StopAsync().ConfigureAwait(false);
            _server.Dispose();
            _health.Unregister(this);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Metrics: serving Prometheus metrics on {Url}")]
    private static partial void LogServing(ILogger logger, string url);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Metrics: cannot listen on {Listen}: {Reason}. The agent runs on without the endpoint. Fix: free the port or set metrics.listen to another host:port")]
    private static partial void LogCannotListen(ILogger logger, string listen, string reason);
}
