namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// NAB's per-file score for one profile, ported from <c>nab_sweeper.py</c> (Numenta, MIT): <c>calcSweepScore</c>
/// followed by <c>calcScoreByThreshold</c> at threshold 0.5, for a detector whose score is 1 on the rows where it
/// raised an alert and 0 elsewhere. The port keeps NAB's quirks on purpose, since the point is to agree with NAB:
/// a window is entered only on a row whose timestamp equals its start exactly, windows are taken in label order,
/// a window's right edge is the first row with its end timestamp, and a window whose scorable rows all lie in the
/// probationary period neither costs a miss nor can be found.
/// </summary>
internal static class NabSweep
{
    /// <summary>NAB's probationary period: the first 15% of the rows, at most 750 (0.15 × 5000).</summary>
    public static int ProbationaryLength(int rows) => (int)Math.Min(Math.Floor(0.15 * rows), 0.15 * 5000);

    /// <summary>2·sigmoid(−5x) − 1, and −1 more than three window widths past a window (nab_sweeper.scaledSigmoid).</summary>
    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * relativePosition))) - 1.0;

    /// <summary>The raw NAB score of one file and how many of its windows could be scored (the null detector's cost).</summary>
    public static (double Score, int ScorableWindows) Score(
        IReadOnlyList<long> timestamps, bool[] detected, IReadOnlyList<(long Start, long End)> windows, NabProfile profile)
    {
        var maxTruePositive = ScaledSigmoid(-1.0);
        var probation = ProbationaryLength(timestamps.Count);
        var best = new double[windows.Count];
        var scorable = new bool[windows.Count];
        Array.Fill(best, -profile.FalseNegativeWeight);
        var falsePositives = 0.0;

        var next = 0;
        var current = -1;
        int right = 0, width = 0;
        int? previousRight = null;
        var previousWidth = 0;
        for (var i = 0; i < timestamps.Count; i++)
        {
            var time = timestamps[i];
            if (next < windows.Count && time == windows[next].Start)
            {
                current = next++;
                right = IndexOf(timestamps, windows[current].End, windows[current]);
                width = right - IndexOf(timestamps, windows[current].Start, windows[current]) + 1;
            }

            double sweep;
            if (current >= 0)
            {
                sweep = ScaledSigmoid(-(right - i + 1) / (double)width) * profile.TruePositiveWeight / maxTruePositive;
            }
            else if (previousRight is null)
            {
                sweep = -1.0 * profile.FalsePositiveWeight;
            }
            else
            {
                // NAB divides by (width − 1): a one-row window gives +∞ here, which the sigmoid's cut-off maps to −1.
                sweep = ScaledSigmoid(Math.Abs(previousRight.Value - i) / (double)(previousWidth - 1)) * profile.FalsePositiveWeight;
            }

            if (i >= probation)
            {
                if (current >= 0)
                {
                    scorable[current] = true;
                    if (detected[i])
                    {
                        best[current] = Math.Max(best[current], sweep);
                    }
                }
                else if (detected[i])
                {
                    falsePositives += sweep;
                }
            }

            if (current >= 0 && time == windows[current].End)
            {
                previousRight = i;
                previousWidth = width;
                current = -1;
            }
        }

        var score = falsePositives;
        var scorableWindows = 0;
        for (var w = 0; w < windows.Count; w++)
        {
            if (scorable[w])
            {
                score += best[w];
                scorableWindows++;
            }
        }

        return (score, scorableWindows);
    }

    private static int IndexOf(IReadOnlyList<long> timestamps, long time, (long Start, long End) window)
    {
        for (var i = 0; i < timestamps.Count; i++)
        {
            if (timestamps[i] == time)
            {
                return i;
            }
        }

        throw new InvalidDataException(
            $"labelled window {Format(window.Start)} .. {Format(window.End)}: {Format(time)} is not a row of the series (NAB needs window edges on rows)");
    }

    private static string Format(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
}
