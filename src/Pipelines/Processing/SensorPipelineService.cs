using EdgeAgent.Configuration;
using EdgeAgent.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Processing;

/// <summary>
/// One sensor pipeline's long-running loop. Everything is built in the constructor, so configuration and model
/// mismatches fail the start with one clear message (exit 78) instead of surfacing later.
/// </summary>
public sealed partial class SensorPipelineService : BackgroundService
{
    private readonly SensorPipelineRunner _runner;
    private readonly Heartbeat _heartbeat;
    private readonly HealthMonitor _health;
    private readonly ReadinessGate _readiness;
    private readonly ILogger _logger;
    private readonly string _readinessName;

    public SensorPipelineService(SensorPipelineRunner runner, HealthMonitor health, ReadinessGate readiness, Heartbeat heartbeat, ILogger<SensorPipelineService> logger)
    {
        _runner = runner;
        _health = health;
        _readiness = readiness;
        _heartbeat = heartbeat;
        _logger = logger;
        _readinessName = "pipeline " + runner.Name;
        readiness.Register(_readinessName);
    }

    public SensorPipelineRunner Runner => _runner;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _health.Register(_runner);
        _health.Register(_heartbeat);
        _readiness.Started(_readinessName);
        Started(_logger, _runner.Name, _runner.Sources.Count);
        try
        {
            await _runner.RunAsync(stoppingToken).ConfigureAwait(false);
            Finished(_logger, _runner.Name, _runner.Pipeline.Counters.Windows);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _health.Unregister(_heartbeat);
            _health.Unregister(_runner);
        }
    }

    /// <summary>Turns a pipeline's construction problem into the start-up error the CLI prints.</summary>
    internal static AgentStartupException StartupError(string pipeline, Exception e) =>
        new($"pipeline '{pipeline}': {e.Message}", 78, e);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Pipeline {Pipeline} running with {Sources} source(s)")]
    private static partial void Started(ILogger logger, string pipeline, int sources);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Pipeline {Pipeline}: all sources ended after {Windows} windows")]
    private static partial void Finished(ILogger logger, string pipeline, long windows);
}
