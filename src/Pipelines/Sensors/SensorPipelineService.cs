using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>
/// One sensor pipeline's long-running loop. The pipeline is built in the constructor, so configuration mistakes
/// fail the start with one clear message (exit 78). A model that cannot be used (missing, damaged, not fitting the
/// features: exit code 65 problems) only takes this pipeline down: it is reported failed in health, STATUS and
/// telemetry, the other pipelines, the outbox and OTA keep running, and the build is retried with backoff so a
/// replaced model file or a newly activated store version brings the pipeline back without a restart.
/// </summary>
public sealed partial class SensorPipelineService : BackgroundService, IHealthSource
{
    private readonly RetriedPipelineBuild<SensorPipelineRunner> _build;
    private readonly Heartbeat _heartbeat;
    private readonly HealthMonitor _health;
    private readonly ReadinessGate _readiness;
    private readonly ILogger _logger;
    private readonly string _readinessName;

    /// <param name="build">Builds the pipeline; throws <see cref="ModelUnusableException"/> when its model cannot be used.</param>
    /// <param name="maxRetry">The longest wait between two attempts to build a failed pipeline.</param>
    public SensorPipelineService(string name, Func<SensorPipelineRunner> build, HealthMonitor health, ReadinessGate readiness, Heartbeat heartbeat,
        ILogger<SensorPipelineService> logger, TimeSpan? maxRetry = null)
    {
        Name = name;
        PipelineName = name;
        _health = health;
        _readiness = readiness;
        _heartbeat = heartbeat;
        _logger = logger;
        _readinessName = "pipeline " + name;
        _build = new RetriedPipelineBuild<SensorPipelineRunner>("Pipeline", name, build, readiness, _readinessName, logger, maxRetry);
        _build.TryBuild();
    }

    public string PipelineName { get; }

    /// <summary>The health source's name: the pipeline's.</summary>
    public string Name { get; }

    /// <summary>The running pipeline; null while it could not be built (see <see cref="Failure"/>).</summary>
    public SensorPipelineRunner? Runner => _build.Built;

    /// <summary>Why the pipeline is not running (null when it runs).</summary>
    public string? Failure => _build.Failure;

    /// <summary>Attempts to build the pipeline that failed, the first one at start included.</summary>
    public long BuildFailures => _build.Failures;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _build.RunAsync(_health, this, RunAsync, stoppingToken);

    public HealthReport Check(long nowTicks) => _build.Built switch
    {
        null => _build.NotRunning,
        { } runner => runner.Check(nowTicks),
    };

    private async Task RunAsync(SensorPipelineRunner runner, CancellationToken stoppingToken)
    {
        _health.Register(_heartbeat);
        _readiness.Started(_readinessName);
        Started(_logger, PipelineName, runner.Sources.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watch = ModelErrorLog.WatchAsync(runner.Pipeline.Slot, PipelineName, _logger, stop.Token);
        try
        {
            await runner.RunAsync(stoppingToken).ConfigureAwait(false);
            Finished(_logger, PipelineName, runner.Pipeline.Counters.Windows);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(false);
            _health.Unregister(_heartbeat);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Pipeline {Pipeline} running with {Sources} source(s)")]
    private static partial void Started(ILogger logger, string pipeline, int sources);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Pipeline {Pipeline}: all sources ended after {Windows} windows")]
    private static partial void Finished(ILogger logger, string pipeline, long windows);
}
