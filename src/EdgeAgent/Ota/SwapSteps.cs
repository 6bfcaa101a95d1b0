using System.Diagnostics;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Ota;

/// <summary>
/// The step of an update after the swap, the same for every kind of pipeline: watching the model slot's counters.
/// </summary>
internal static class SwapSteps
{
    /// <summary>
    /// Watches the counters for <see cref="OtaOptions.HealthWatchSeconds"/>: returns why the new model is unhealthy
    /// (a failed inference, a NaN or infinite score, the runs finished within one 100 ms look, or all of them, over
    /// the latency limit), or null when it stayed healthy.
    /// </summary>
    /// <param name="unit">"windows" or "frames", for the reason's wording.</param>
    public static async Task<string?> WatchAsync(Func<ModelCounters> read, string unit, OtaOptions ota, CancellationToken cancellationToken)
    {
        if (ota.HealthWatchSeconds == 0)
        {
            return null;
        }

        var start = read();
        var previous = start;
        var end = Stopwatch.GetTimestamp() + (long)(ota.HealthWatchSeconds * Stopwatch.Frequency);
        while (true)
        {
            var now = read();

            // The runs finished since the last look (100 ms ago): one slow run shows at once, instead of waiting for
            // ten windows that a model slower than the window period never delivers within the watch (issue 17).
            var recent = now.Scored - previous.Scored;
            var recentMs = recent == 0 ? 0 : Stopwatch.GetElapsedTime(0, (now.RunTicks - previous.RunTicks) / recent).TotalMilliseconds;
            previous = now;
            if (recent > 0 && recentMs > ota.HealthMaxLatencyMilliseconds)
            {
                return $"inference latency {recentMs:0.###} ms ({(recent == 1 ? "one run" : $"mean of the {recent} runs")} within 100 ms) exceeds ota.healthMaxLatencyMilliseconds ({ota.HealthMaxLatencyMilliseconds} ms)";
            }

            if (now.Errors - start.Errors is var failed and > 0)
            {
                return $"the model failed {failed} inference(s) after the swap";
            }

            if (now.NonFinite - start.NonFinite is var bad and > 0)
            {
                return $"the model produced {bad} NaN or infinite score(s) after the swap";
            }

            var scored = now.Scored - start.Scored;
            var meanMs = scored == 0 ? 0 : Stopwatch.GetElapsedTime(0, (now.RunTicks - start.RunTicks) / scored).TotalMilliseconds;
            if (scored >= 10 && meanMs > ota.HealthMaxLatencyMilliseconds)
            {
                return $"mean inference latency {meanMs:0.###} ms over {scored} {unit} exceeds ota.healthMaxLatencyMilliseconds ({ota.HealthMaxLatencyMilliseconds} ms)";
            }

            if (Stopwatch.GetTimestamp() >= end)
            {
                return null;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
