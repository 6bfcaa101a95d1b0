using System.Diagnostics;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Ota;

/// <summary>How long a shadow period lasts, the same for sensor windows and camera frames.</summary>
internal static class ShadowPeriod
{
    /// <summary>
    /// Polls the candidate's statistics until <see cref="ShadowOptions.Seconds"/> have passed, extended up to
    /// <see cref="ShadowOptions.MaxSeconds"/> while fewer than <see cref="ShadowOptions.MinWindows"/> arrived. A source
    /// that delivered nothing at all (a camera whose motion filter saw no motion, a silent sensor) is not waited for.
    /// </summary>
    /// <returns>An early verdict (a bound already broken for good), or null once the period is over.</returns>
    public static async Task<string?> ObserveAsync(Func<ShadowStatistics> statistics, ShadowOptions bounds, long start, string unit, CancellationToken cancellationToken)
    {
        var end = start + (long)(bounds.Seconds * Stopwatch.Frequency);
        var last = start + (long)(Math.Max(bounds.Seconds, bounds.MaxSeconds) * Stopwatch.Frequency);
        while (true)
        {
            var now = statistics();
            if (ShadowVerdict.EarlyFailure(now, bounds, unit) is { } failure)
            {
                return failure;
            }

            var time = Stopwatch.GetTimestamp();
            if (time >= last || (time >= end && (now.Windows >= bounds.MinWindows || now.Windows == 0)))
            {
                return null;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }
}
