namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// What <c>edgeagent evaluate</c> saw and decided on one series, row by row: the contract between the run (which
/// feeds the series through the pipeline as the daemon would see it live) and what is made of it afterwards (the
/// detections files, NAB scoring, the HTML report). Every list has one entry per data row of the file, in file order.
/// </summary>
/// <param name="Name">The file name, e.g. <c>nyc_taxi.csv</c> (the key into NAB's label file).</param>
/// <param name="RawTimestamps">Each row's timestamp text exactly as the file writes it (what NAB's scorer matches).</param>
/// <param name="Timestamps">Each row's timestamp in <see cref="DateTime"/> ticks (UTC, as parsed).</param>
/// <param name="Values">Each row's value; NaN where the row was rejected (unreadable, duplicate, backwards).</param>
/// <param name="Scores">The detector's score once the row was taken in (NaN where it has none yet).</param>
/// <param name="Thresholds">The alert threshold in force at that row, on the same scale as the score (NaN where none).</param>
/// <param name="AlertStarts">Row indices where an anomaly_start was raised, ascending.</param>
/// <param name="AlertEnds">Row indices where an anomaly_end was raised, ascending.</param>
public sealed record EvaluatedSeries(
    string Name,
    IReadOnlyList<string> RawTimestamps,
    IReadOnlyList<long> Timestamps,
    IReadOnlyList<double> Values,
    IReadOnlyList<double> Scores,
    IReadOnlyList<double> Thresholds,
    IReadOnlyList<int> AlertStarts,
    IReadOnlyList<int> AlertEnds);
