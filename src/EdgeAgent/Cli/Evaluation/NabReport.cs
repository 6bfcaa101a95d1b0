namespace EdgeAgent.Cli.Evaluation;

/// <summary>NAB scores of a set of series, per series and in total (NAB's normalisation over the files scored).</summary>
/// <param name="Unlabelled">Series that have no entry in the labels, hence were not scored.</param>
public sealed record NabReport(IReadOnlyList<NabSeriesScore> Series, IReadOnlyList<string> Unlabelled)
{
    public int Windows => Series.Sum(s => s.Windows);

    public int Found => Series.Sum(s => s.Found);

    public int Missed => Windows - Found;

    public int FalseAlerts => Series.Sum(s => s.FalseAlerts);

    /// <summary>Mean delay over every found window of every series (not a mean of the series' means).</summary>
    public TimeSpan? MeanDelay
    {
        get
        {
            var found = Series.Where(s => s.MeanDelay is not null).ToList();
            var count = found.Sum(s => s.Found);
            return count == 0 ? null : TimeSpan.FromTicks((long)(found.Sum(s => (double)s.MeanDelay!.Value.Ticks * s.Found) / count));
        }
    }

    /// <summary>NAB's normalised score for one profile (index into <see cref="NabProfile.All"/>).</summary>
    public double Score(int profile) => Normalise(
        Series.Sum(s => s.Raw[profile]), Series.Sum(s => s.Null[profile]), Series.Sum(s => s.Perfect[profile]));

    public double Standard => Score(0);

    public double RewardLowFalsePositives => Score(1);

    public double RewardLowFalseNegatives => Score(2);

    internal static double Normalise(double score, double nullScore, double perfect) =>
        perfect != nullScore ? 100 * (score - nullScore) / (perfect - nullScore) : double.NaN;
}
