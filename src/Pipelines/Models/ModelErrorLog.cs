using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// The log side of the slot's model-error policy, the same for every kind of pipeline: the loop counts a failing
/// run and goes on; this says so, at most once every 10 seconds (the first failure within a second), with the
/// count since the last line.
/// </summary>
public static partial class ModelErrorLog
{
    /// <summary>Watches <paramref name="slot"/> until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task WatchAsync<TModel>(ModelSlot<TModel> slot, string pipeline, ILogger logger, CancellationToken cancellationToken)
        where TModel : class, IPipelineModel
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var seen = slot.ModelErrors;
        var limiter = new LogRateLimiter(burst: 1, TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var errors = slot.ModelErrors;
                if (errors > seen && limiter.TryAcquire())
                {
                    LogModelErrors(logger, pipeline, errors - seen, errors, slot.LastModelError);
                    seen = errors;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: the model failed {Recent} run(s) since the last report ({Total} in all; those windows or frames are not published, the pipeline goes on): {LastError}")]
    private static partial void LogModelErrors(ILogger logger, string pipeline, long recent, long total, string? lastError);
}
