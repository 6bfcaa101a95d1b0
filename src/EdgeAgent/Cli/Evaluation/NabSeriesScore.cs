namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// NAB's verdict on one series. Counts follow score.py: only anomaly_starts after the probationary period count, a
/// window is found when one of them falls inside it (edges included), and every other one is a false alert.
/// </summary>
/// <param name="MeanDelay">Mean time from a found window's start to its first alert; null when none was found.</param>
/// <param name="Raw">The raw NAB score per profile, in <see cref="NabProfile.All"/> order.</param>
/// <param name="Null">The score of a detector that never alerts, per profile.</param>
/// <param name="Perfect">The score of a detector that finds every window at its start, per profile.</param>
public sealed record NabSeriesScore(
    string Name,
    int Rows,
    int ProbationRows,
    int Windows,
    int Found,
    int FalseAlerts,
    TimeSpan? MeanDelay,
    IReadOnlyList<double> Raw,
    IReadOnlyList<double> Null,
    IReadOnlyList<double> Perfect)
{
    public int Missed => Windows - Found;

    /// <summary>100·(S − S_null)/(S_perfect − S_null) for this series alone (NaN for a series without windows).</summary>
    public double Normalised(int profile) => NabReport.Normalise(Raw[profile], Null[profile], Perfect[profile]);
}
