using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Supervision;

/// <summary>
/// Builds a pipeline (sensor or camera) whose model may not be usable: missing, damaged, not fitting the pipeline
/// (a <see cref="ModelUnusableException"/>). Such a pipeline is failed, not fatal: it is reported
/// with <see cref="Failure"/>, does not hold back READY, and <see cref="RunAsync"/> rebuilds it after 5 s, doubling
/// the wait up to a maximum, so a replaced model file or a newly activated store version brings it back without a
/// restart. Configuration mistakes (78) are not retried: they propagate and stop the start, as they would at start-up.
/// </summary>
public sealed partial class RetriedPipelineBuild<T>
    where T : class
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private readonly string _kind;
    private readonly Func<T> _build;
    private readonly ReadinessGate _readiness;
    private readonly string _readinessName;
    private readonly ILogger _logger;
    private readonly TimeSpan _maxRetry;
    private volatile T? _built;
    private volatile string? _failure;
    private long _failures;

    /// <param name="kind">How the log names such a pipeline: <c>Pipeline</c>, <c>Camera pipeline</c>.</param>
    /// <param name="build">Builds the pipeline; throws <see cref="ModelUnusableException"/> when its model cannot be used.</param>
    /// <param name="readinessName">The name the pipeline registers with the readiness gate (registered here).</param>
    /// <param name="maxRetry">The longest wait between two attempts to build a failed pipeline (default 1 minute).</param>
    public RetriedPipelineBuild(string kind, string pipeline, Func<T> build, ReadinessGate readiness, string readinessName, ILogger logger, TimeSpan? maxRetry = null)
    {
        _kind = kind;
        Pipeline = pipeline;
        _build = build;
        _readiness = readiness;
        _readinessName = readinessName;
        _logger = logger;
        _maxRetry = maxRetry ?? TimeSpan.FromMinutes(1);
        readiness.Register(readinessName);
    }

    public string Pipeline { get; }

    /// <summary>The built pipeline; null while it could not be built (see <see cref="Failure"/>).</summary>
    public T? Built => _built;

    /// <summary>Why the pipeline is not running (null once it is built).</summary>
    public string? Failure => _failure;

    /// <summary>Attempts to build the pipeline that failed, the first one included.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>What health says of the pipeline while it is not built.</summary>
    public HealthReport NotRunning => HealthReport.Degraded($"not running: {_failure}");

    /// <summary>One attempt; null, with <see cref="Failure"/> set, when the model cannot be used.</summary>
    public T? TryBuild()
    {
        try
        {
            _built = _build();
            _failure = null;
            return _built;
        }
        catch (ModelUnusableException ex)
        {
            Interlocked.Increment(ref _failures);
            var changed = _failure != ex.Message;
            _failure = ex.Message;
            if (changed)
            {
                LogFailed(_logger, _kind, Pipeline, ex.Message);
            }

            return null;
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"pipeline '{Pipeline}': {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs the pipeline once it is built: at once, or after as many attempts as it takes. Returns when
    /// <paramref name="run"/> does, or when the agent stops.
    /// </summary>
    /// <param name="health">The monitor <paramref name="source"/> (the pipeline's service) stands in while it runs, built or not.</param>
    public async Task RunAsync(HealthMonitor health, IHealthSource source, Func<T, CancellationToken, Task> run, CancellationToken stoppingToken)
    {
        health.Register(source);
        try
        {
            var built = await WaitAsync(stoppingToken).ConfigureAwait(false);
            await run(built, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            health.Unregister(source);
        }
    }

    private async Task<T> WaitAsync(CancellationToken stoppingToken)
    {
        if (_built is { } built)
        {
            return built;
        }

        // A failed pipeline must not hold back READY: the rest of the agent serves, and STATUS names the failure.
        _readiness.Started(_readinessName);
        var backoff = new Backoff(FirstRetry, _maxRetry, BackoffJitter.None);
        while (true)
        {
            var delay = backoff.Next();
            LogRetrying(_logger, _kind, Pipeline, delay.TotalSeconds);
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            if (TryBuild() is { } rebuilt)
            {
                LogRecovered(_logger, _kind, Pipeline, Failures);
                return rebuilt;
            }
        }
    }

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "{Kind} {Pipeline} is not running: {Reason}. The other pipelines keep running; this one is retried (replace the model, or install one with 'edgeagent models install')")]
    private static partial void LogFailed(ILogger logger, string kind, string pipeline, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "{Kind} {Pipeline}: next attempt to build it in {Seconds:0} s")]
    private static partial void LogRetrying(ILogger logger, string kind, string pipeline, double seconds);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "{Kind} {Pipeline} recovered after {Failures} failed attempt(s) to build it")]
    private static partial void LogRecovered(ILogger logger, string kind, string pipeline, long failures);
}
