using EdgeAgent.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// Stands in for a camera pipeline whose model could not be used at start (missing, damaged, not an image model):
/// the failure is logged once and reported in health, STATUS and telemetry, and the other pipelines, the outbox and
/// OTA keep running. A camera pipeline is not rebuilt while the agent runs; fix the model and restart the service.
/// </summary>
public sealed partial class FailedCameraPipelineService : BackgroundService, IHealthSource
{
    private readonly HealthMonitor _health;
    private readonly ILogger _logger;

    public FailedCameraPipelineService(string pipeline, string reason, HealthMonitor health, ILogger<FailedCameraPipelineService> logger)
    {
        PipelineName = pipeline;
        Name = "camera " + pipeline;
        Failure = reason;
        _health = health;
        _logger = logger;
    }

    public string PipelineName { get; }

    public string Name { get; }

    public string Failure { get; }

    public HealthReport Check(long nowTicks) => HealthReport.Degraded($"not running: {Failure}");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogFailed(_logger, PipelineName, Failure);
        _health.Register(this);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _health.Unregister(this);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Camera pipeline {Pipeline} is not running: {Reason}. The other pipelines keep running; fix the model and restart the agent")]
    private static partial void LogFailed(ILogger logger, string pipeline, string reason);
}
