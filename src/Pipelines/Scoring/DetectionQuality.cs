namespace EdgeAgent.Pipelines.Scoring;

/// <summary>
/// Scores alerts against labelled anomaly windows the way NAB counts them: a window is detected by the first alert
/// that starts inside it (later ones inside the same window are neither credit nor penalty); an alert starting
/// outside every window is a false alert. Delay is from the window's start to the detecting alert.
/// </summary>
public sealed record DetectionQuality(int Windows, int Detected, int Missed, int FalseAlerts, int ScoredWindows, double MeanDelaySeconds)
{
    public double Precision => Detected + FalseAlerts == 0 ? (Windows == 0 ? 1 : 0) : Detected / (double)(Detected + FalseAlerts);

    public double Recall => Windows == 0 ? 1 : Detected / (double)Windows;

    public double FalseAlertsPerThousandWindows => ScoredWindows == 0 ? 0 : 1000.0 * FalseAlerts / ScoredWindows;

    public static DetectionQuality Evaluate(IReadOnlyList<(long Start, long End)> labels, IReadOnlyList<long> alertStarts, int scoredWindows)
    {
        var detected = new bool[labels.Count];
        var falseAlerts = 0;
        double delay = 0;
        foreach (var alert in alertStarts)
        {
            var inside = -1;
            for (var i = 0; i < labels.Count; i++)
            {
                if (alert >= labels[i].Start && alert <= labels[i].End)
                {
                    inside = i;
                    break;
                }
            }

            if (inside < 0)
            {
                falseAlerts++;
            }
            else if (!detected[inside])
            {
                detected[inside] = true;
                delay += (alert - labels[inside].Start) / (double)TimeSpan.TicksPerSecond;
            }
        }

        var hits = detected.Count(d => d);
        return new DetectionQuality(labels.Count, hits, labels.Count - hits, falseAlerts, scoredWindows, hits == 0 ? 0 : delay / hits);
    }

    public override string ToString() =>
        $"windows {Windows}, detected {Detected}, missed {Missed}, false alerts {FalseAlerts} ({FalseAlertsPerThousandWindows:F2}/1000 windows of {ScoredWindows}), precision {Precision:F2}, recall {Recall:F2}, mean delay {MeanDelaySeconds / 3600:F1} h";
}
