using System.Diagnostics;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// What a shadow candidate did on the windows (sensor pipelines) or frames (camera pipelines) it saw, beside the
/// active model on the same ones. The counts name windows; for a camera each is a frame.
/// </summary>
/// <param name="Windows">Windows (or frames) the candidate was given.</param>
/// <param name="Errors">Candidate runs that threw.</param>
/// <param name="NonFinite">Candidate scores that were NaN or infinite.</param>
/// <param name="CandidateAlerts">Windows the candidate scored at or above its raise threshold.</param>
/// <param name="ActiveAlerts">The same windows scored at or above the active model's raise threshold.</param>
/// <param name="CandidateTicks">Total candidate run time (successful runs), in <see cref="Stopwatch"/> ticks.</param>
/// <param name="ActiveTicks">Total active run time on the same windows.</param>
/// <param name="CandidateMedianTicks">Median candidate run time.</param>
/// <param name="ActiveMedianTicks">Median active run time on the same windows.</param>
/// <param name="FirstError">The first candidate exception's message, if any.</param>
public readonly record struct ShadowStatistics(
    long Windows,
    long Errors,
    long NonFinite,
    long CandidateAlerts,
    long ActiveAlerts,
    long CandidateTicks,
    long ActiveTicks,
    double CandidateMedianTicks,
    double ActiveMedianTicks,
    string? FirstError)
{
    /// <summary>Windows the candidate failed on (threw or gave a NaN/infinite score).</summary>
    public long Failed => Errors + NonFinite;

    public double FailureRate => Windows == 0 ? 0 : (double)Failed / Windows;

    public double CandidateAlertRate => Windows == 0 ? 0 : (double)CandidateAlerts / Windows;

    public double ActiveAlertRate => Windows == 0 ? 0 : (double)ActiveAlerts / Windows;

    public double CandidateMeanMilliseconds => Windows - Errors <= 0 ? 0 : Milliseconds((double)CandidateTicks / (Windows - Errors));

    public double CandidateMedianMilliseconds => Milliseconds(CandidateMedianTicks);

    public double ActiveMedianMilliseconds => Milliseconds(ActiveMedianTicks);

    private static double Milliseconds(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
