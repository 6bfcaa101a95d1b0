using System.Globalization;
using System.Text;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// The detections format of <c>../shared/tools/nab/score.py</c>: a header line, then <c>timestamp,anomaly_score</c>
/// with a data row's timestamp exactly as the data file writes it and 1 where an anomaly_start was raised. Reading
/// builds an <see cref="EvaluatedSeries"/> from a NAB data file and such a file, so scoring and the report can be
/// checked without running a detector.
/// </summary>
public static class DetectionsFile
{
    /// <summary>Writes one line per alert start of <paramref name="series"/>.</summary>
    public static void Write(string path, EvaluatedSeries series)
    {
        var text = new StringBuilder("timestamp,anomaly_score\n");
        foreach (var row in series.AlertStarts)
        {
            text.Append(series.RawTimestamps[row].Trim()).Append(",1\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// A NAB data file (<c>timestamp,value</c>) and, when it exists, its detections file. Rows map as score.py maps
    /// them: by the timestamp text (the last row that writes it), else by the first row at the same instant; a listed
    /// score of 0.5 or more is an alert start. No score, threshold or alert end is known: those lists hold NaN / none.
    /// </summary>
    public static EvaluatedSeries Read(string dataPath, string? detectionsPath)
    {
        var raw = new List<string>();
        var ticks = new List<long>();
        var values = new List<double>();
        foreach (var (line, cells) in Rows(dataPath))
        {
            raw.Add(cells[0]);
            ticks.Add(ParseTime(cells[0], dataPath, line));
            values.Add(cells.Length > 1 && double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN);
        }

        var starts = new SortedSet<int>();
        if (detectionsPath is not null && File.Exists(detectionsPath))
        {
            var byText = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < raw.Count; i++)
            {
                byText[raw[i].Trim()] = i;
            }

            var scores = new Dictionary<int, double>();
            foreach (var (line, cells) in Rows(detectionsPath))
            {
                var key = cells[0].Trim();
                if (!byText.TryGetValue(key, out var row))
                {
                    var instant = ParseTime(key, detectionsPath, line);
                    row = ticks.IndexOf(instant);
                    if (row < 0)
                    {
                        throw new InvalidDataException($"{detectionsPath}:{line}: timestamp '{key}' is not a row of {Path.GetFileName(dataPath)}");
                    }
                }

                var score = cells.Length > 1 && double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                    ? s
                    : throw new InvalidDataException($"{detectionsPath}:{line}: unreadable anomaly score");
                scores[row] = Math.Max(scores.GetValueOrDefault(row, double.NegativeInfinity), score);
            }

            starts.UnionWith(scores.Where(kv => kv.Value >= 0.5).Select(kv => kv.Key));
        }

        var none = Enumerable.Repeat(double.NaN, raw.Count).ToArray();
        return new EvaluatedSeries(Path.GetFileName(dataPath), raw, ticks, values, none, none, [.. starts], []);
    }

    // Like Python's csv reader as score.py uses it: the header skipped, empty lines skipped.
    private static IEnumerable<(int Line, string[] Cells)> Rows(string path)
    {
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (line == 1 || text.Length == 0)
            {
                continue;
            }

            yield return (line, text.Split(','));
        }
    }

    private static long ParseTime(string text, string path, int line) =>
        TimestampParser.TryParse(Encoding.UTF8.GetBytes(text), out var ticks)
            ? ticks
            : throw new InvalidDataException($"{path}:{line}: unreadable timestamp '{text}'");
}
