using EdgeAgent.Configuration;
using EdgeAgent.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Processing;

/// <summary>
/// One sensor pipeline's long-running loop. The pipeline is built in the constructor, so configuration mistakes
/// fail the start with one clear message (exit 78). A model that cannot be used (missing, damaged, not fitting the
/// features: exit code 65 problems) only takes this pipeline down: it is reported failed in health, STATUS and
/// telemetry, the other pipelines, the outbox and OTA keep running, and the build is retried with backoff so a
/// replaced model file or a newly activated store version brings the pipeline back without a restart.
/// </summary>
public sealed partial class SensorPipelineService : BackgroundService, IHealthSource
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private readonly Func<SensorPipelineRunner> _build;
    private readonly Heartbeat _heartbeat;
    private readonly HealthMonitor _health;
    private readonly ReadinessGate _readiness;
    private readonly ILogger _logger;
    private readonly string _readinessName;
    private readonly TimeSpan _maxRetry;
    private volatile SensorPipelineRunner? _runner;
    private volatile string? _failure;
    private long _buildFailures;

    public SensorPipelineService(SensorPipelineRunner runner, HealthMonitor health, ReadinessGate readiness, Heartbeat heartbeat, ILogger<SensorPipelineService> logger)
        : this(runner.Name, () => runner, health, readiness, heartbeat, logger)
    {
    }

    /// <param name="build">Builds the pipeline; throws <see cref="AgentStartupException"/> (65 for model problems).</param>
    /// <param name="maxRetry">The longest wait between two attempts to build a failed pipeline.</param>
    public SensorPipelineService(string name, Func<SensorPipelineRunner> build, HealthMonitor health, ReadinessGate readiness, Heartbeat heartbeat,
        ILogger<SensorPipelineService> logger, TimeSpan? maxRetry = null)
    {
        Name = name;
        PipelineName = name;
        _build = build;
        _health = health;
        _readiness = readiness;
        _heartbeat = heartbeat;
        _logger = logger;
        _maxRetry = maxRetry ?? TimeSpan.FromMinutes(1);
        _readinessName = "pipeline " + name;
        readiness.Register(_readinessName);
        TryBuild();
    }

    public string PipelineName { get; }

    /// <summary>The health source's name: the pipeline's.</summary>
    public string Name { get; }

    /// <summary>The running pipeline; null while it could not be built (see <see cref="Failure"/>).</summary>
    public SensorPipelineRunner? Runner => _runner;

    /// <summary>Why the pipeline is not running (null when it runs).</summary>
    public string? Failure => _failure;

    /// <summary>Attempts to build the pipeline that failed, the first one at start included.</summary>
    public long BuildFailures => Interlocked.Read(ref _buildFailures);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _health.Register(this);
        try
        {
            var runner = await WaitForRunnerAsync(stoppingToken).ConfigureAwait(false);
            await RunAsync(runner, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _health.Unregister(this);
        }
    }

    public HealthReport Check(long nowTicks) => _runner switch
    {
        null => HealthReport.Degraded($"not running: {_failure}"),
        { } runner => runner.Check(nowTicks),
    };

    private async Task<SensorPipelineRunner> WaitForRunnerAsync(CancellationToken stoppingToken)
    {
        if (_runner is { } built)
        {
            return built;
        }

        // A failed pipeline must not hold back READY: the rest of the agent serves, and STATUS names the failure.
        _readiness.Started(_readinessName);
        var delay = FirstRetry;
        while (true)
        {
            LogRetrying(_logger, PipelineName, delay.TotalSeconds);
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            if (TryBuild() is { } runner)
            {
                LogRecovered(_logger, PipelineName, BuildFailures);
                return runner;
            }

            delay = TimeSpan.FromTicks(Math.Min(_maxRetry.Ticks, delay.Ticks * 2));
        }
    }

    private async Task RunAsync(SensorPipelineRunner runner, CancellationToken stoppingToken)
    {
        _health.Register(_heartbeat);
        _readiness.Started(_readinessName);
        Started(_logger, PipelineName, runner.Sources.Count);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watch = WatchModelErrorsAsync(runner.Pipeline, stop.Token);
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

    // The loop counts a failing model run and goes on; this says so in the log, at most every 10 seconds.
    private async Task WatchModelErrorsAsync(SensorPipeline pipeline, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        var seen = pipeline.ModelErrors;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var errors = pipeline.ModelErrors;
                if (errors > seen)
                {
                    LogModelErrors(_logger, PipelineName, errors - seen, errors, pipeline.LastModelError);
                    seen = errors;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private SensorPipelineRunner? TryBuild()
    {
        try
        {
            _runner = _build();
            _failure = null;
            return _runner;
        }
        catch (AgentStartupException ex) when (ex.ExitCode == 65)
        {
            Interlocked.Increment(ref _buildFailures);
            var changed = _failure != ex.Message;
            _failure = ex.Message;
            if (changed)
            {
                LogFailed(_logger, PipelineName, ex.Message);
            }

            return null;
        }
        catch (ArgumentException e)
        {
            throw StartupError(PipelineName, e);
        }
    }

    /// <summary>Turns a pipeline's construction problem into the start-up error the CLI prints.</summary>
    internal static AgentStartupException StartupError(string pipeline, Exception e) =>
        new($"pipeline '{pipeline}': {e.Message}", 78, e);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Pipeline {Pipeline} running with {Sources} source(s)")]
    private static partial void Started(ILogger logger, string pipeline, int sources);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Pipeline {Pipeline}: all sources ended after {Windows} windows")]
    private static partial void Finished(ILogger logger, string pipeline, long windows);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Pipeline {Pipeline} is not running: {Reason}. The other pipelines keep running; this one is retried (replace the model, or install one with 'edgeagent models install')")]
    private static partial void LogFailed(ILogger logger, string pipeline, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: the model failed {Recent} run(s) in the last 10 s ({Total} in all; those windows are not published): {LastError}")]
    private static partial void LogModelErrors(ILogger logger, string pipeline, long recent, long total, string? lastError);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Pipeline {Pipeline}: next attempt to build it in {Seconds:0} s")]
    private static partial void LogRetrying(ILogger logger, string pipeline, double seconds);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Pipeline {Pipeline} recovered after {Failures} failed attempt(s) to build it")]
    private static partial void LogRecovered(ILogger logger, string pipeline, long failures);
}
