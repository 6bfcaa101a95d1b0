using System.Globalization;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Ota;

/// <summary>
/// Judges a shadow period's statistics against <c>ota.shadow</c>; the messages carry the numbers a user needs to
/// see why (they go into the reported state's <c>message</c>). Sensor pipelines shadow windows, camera pipelines
/// frames: <c>unit</c> names what the counts count (<see cref="ShadowStatistics.Windows"/> holds either).
/// </summary>
internal static class ShadowVerdict
{
    public const string Windows = "window";

    public const string Frames = "frame";

    /// <summary>A bound that is already broken, whatever the rest of the period brings: failures when none are allowed.</summary>
    public static string? EarlyFailure(ShadowStatistics s, ShadowOptions bounds, string unit = Windows) =>
        s.Failed > 0 && (bounds.MaxErrorRate == 0 || (s.Windows >= bounds.MinWindows && s.FailureRate > bounds.MaxErrorRate))
            ? Failures(s, bounds, unit)
            : null;

    /// <returns>Null when the candidate stayed within every bound; otherwise the first bound it broke, with the numbers.</returns>
    public static string? Judge(ShadowStatistics s, ShadowOptions bounds, double maxMeanLatencyMilliseconds, double seconds, string unit = Windows)
    {
        if (s.Windows < bounds.MinWindows)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"only {s.Windows} {unit}(s) reached the shadow in {seconds:0} s, fewer than ota.shadow.minWindows ({bounds.MinWindows}); is the pipeline's source running? (raise ota.shadow.maxSeconds for a slow source)");
        }

        if (s.Failed > 0 && s.FailureRate > bounds.MaxErrorRate)
        {
            return Failures(s, bounds, unit);
        }

        var active = s.ActiveMedianMilliseconds;
        var candidate = s.CandidateMedianMilliseconds;
        if (active > 0 && candidate / active > bounds.MaxLatencyRatio)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the candidate's median run time {candidate:0.####} ms is {candidate / active:0.##}x the active model's {active:0.####} ms over {s.Windows} {unit}s (bound ota.shadow.maxLatencyRatio {bounds.MaxLatencyRatio}x)");
        }

        if (s.CandidateMeanMilliseconds > maxMeanLatencyMilliseconds)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the candidate's mean run time {s.CandidateMeanMilliseconds:0.###} ms over {s.Windows} {unit}s exceeds ota.healthMaxLatencyMilliseconds ({maxMeanLatencyMilliseconds} ms)");
        }

        if (s.CandidateAlertRate - s.ActiveAlertRate > bounds.MaxAlertRateIncrease)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"the candidate alerted on {100 * s.CandidateAlertRate:0.#}% of {s.Windows} {unit}s vs {100 * s.ActiveAlertRate:0.#}% for the active model (bound ota.shadow.maxAlertRateIncrease {100 * bounds.MaxAlertRateIncrease:0.#} percentage points)");
        }

        return null;
    }

    /// <summary>One line for the log when the candidate passes.</summary>
    public static string Summary(ShadowStatistics s, string unit = Windows) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Windows} {unit}s, {s.Failed} failed, alert rate {100 * s.CandidateAlertRate:0.#}% vs {100 * s.ActiveAlertRate:0.#}%, median run time {s.CandidateMedianMilliseconds:0.####} ms vs {s.ActiveMedianMilliseconds:0.####} ms");

    private static string Failures(ShadowStatistics s, ShadowOptions bounds, string unit) => string.Create(CultureInfo.InvariantCulture,
        $"the candidate failed on {s.Failed} of {s.Windows} {unit}s ({100 * s.FailureRate:0.##}%, bound ota.shadow.maxErrorRate {100 * bounds.MaxErrorRate:0.##}%): {s.Errors} inference error(s), {s.NonFinite} NaN or infinite score(s){(s.FirstError is null ? string.Empty : "; first error: " + s.FirstError)}");
}
