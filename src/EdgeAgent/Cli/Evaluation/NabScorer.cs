namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// Scores evaluated series by the rules of the Numenta Anomaly Benchmark (v1.1), as <c>../shared/tools/nab/score.py</c>
/// does with NAB's own sweeper: a detection is a row where an anomaly_start was raised; the null detector never
/// alerts; the perfect one scores tpWeight per window; totals are normalised over the series scored.
/// </summary>
public static class NabScorer
{
    public static NabReport Score(
        IReadOnlyList<EvaluatedSeries> series, IReadOnlyDictionary<string, IReadOnlyList<(long Start, long End)>> labels)
    {
        var scored = new List<NabSeriesScore>();
        var unlabelled = new List<string>();
        foreach (var one in series)
        {
            if (labels.TryGetValue(one.Name, out var windows))
            {
                scored.Add(ScoreSeries(one, windows));
            }
            else
            {
                unlabelled.Add(one.Name);
            }
        }

        return new NabReport(scored, unlabelled);
    }

    public static NabSeriesScore ScoreSeries(EvaluatedSeries series, IReadOnlyList<(long Start, long End)> windows)
    {
        var rows = series.Timestamps.Count;
        var detected = new bool[rows];
        foreach (var row in series.AlertStarts)
        {
            if ((uint)row >= (uint)rows)
            {
                throw new ArgumentException($"{series.Name}: alert at row {row}, the series has {rows} rows", nameof(series));
            }

            detected[row] = true;
        }

        var raw = new double[NabProfile.All.Count];
        var nulls = new double[NabProfile.All.Count];
        var perfect = new double[NabProfile.All.Count];
        for (var p = 0; p < NabProfile.All.Count; p++)
        {
            var profile = NabProfile.All[p];
            (raw[p], var scorableWindows) = NabSweep.Score(series.Timestamps, detected, windows, profile);
            nulls[p] = -profile.FalseNegativeWeight * scorableWindows;
            perfect[p] = windows.Count * profile.TruePositiveWeight;
        }

        // Counts as score.py makes them: by time, edges included, after the probationary period.
        var probation = NabSweep.ProbationaryLength(rows);
        var hits = new List<long>();
        for (var i = probation; i < rows; i++)
        {
            if (detected[i])
            {
                hits.Add(series.Timestamps[i]);
            }
        }

        var found = 0;
        long delayTicks = 0;
        foreach (var (start, end) in windows)
        {
            var first = hits.FindIndex(t => start <= t && t <= end);
            if (first >= 0)
            {
                found++;
                delayTicks += hits[first] - start;
            }
        }

        var falseAlerts = hits.Count(t => !windows.Any(w => w.Start <= t && t <= w.End));
        return new NabSeriesScore(series.Name, rows, probation, windows.Count, found, falseAlerts,
            found == 0 ? null : TimeSpan.FromTicks(delayTicks / found), raw, nulls, perfect);
    }
}
