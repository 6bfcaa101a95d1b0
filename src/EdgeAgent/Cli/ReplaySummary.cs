using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Cli;

/// <summary>
/// What one replay counted, in its kind's words, and the summary that says it: one line on stderr, or with --json one
/// object after the events. The names and their order are the replay's output format, so each kind gives its counts
/// as the line and the object name them; the rest (events, time, rate, skipped inputs, detection quality) is written
/// here once for both kinds.
/// </summary>
/// <param name="Unit">What the rate counts: "windows" or "frames" (and what labels are scored against).</param>
/// <param name="Units">How many of them the replay judged.</param>
/// <param name="Counts">The counts as the line says them, before the events.</param>
/// <param name="Fields">The counts as the object names them, before the events.</param>
/// <param name="Skipped">What the sources rejected, by reason (sensor pipelines; null where a kind has no such sources).</param>
internal sealed record ReplaySummary(string Unit, long Units, string Counts, IReadOnlyList<(string Name, long Value)> Fields, TimeSpan Elapsed,
    SortedDictionary<string, long>? Skipped = null)
{
    public void Write(bool json, string file, int events, DetectionQuality? quality)
    {
        var rate = Units / Math.Max(Elapsed.TotalSeconds, 1e-9);
        if (!json)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: {Counts}, {events} events in {Elapsed.TotalMilliseconds:0} ms ({rate:0} {Unit}/s)"));
            if (Skipped is { Count: > 0 })
            {
                // Never silent: what was left out and why (timestampInFuture: a record dated beyond this device's clock + replay tolerance).
                Console.Error.WriteLine($"replay: skipped {Skipped.Values.Sum()} input(s): {string.Join(", ", Skipped.Select(s => $"{s.Value} {s.Key}"))}");
            }

            if (quality is not null)
            {
                Console.Error.WriteLine($"replay: {quality}");
            }

            return;
        }

        using var writer = new Utf8JsonWriter(Console.OpenStandardOutput());
        writer.WriteStartObject();
        writer.WriteString("type", "summary");
        writer.WriteString("input", Path.GetFileName(file));
        foreach (var (name, value) in Fields)
        {
            writer.WriteNumber(name, value);
        }

        writer.WriteNumber("events", events);
        writer.WriteNumber("elapsed_ms", Math.Round(Elapsed.TotalMilliseconds, 3));
        writer.WriteNumber($"{Unit}_per_second", Math.Round(rate, 1));
        if (Skipped is not null)
        {
            writer.WriteStartObject("skipped");
            foreach (var (reason, count) in Skipped)
            {
                writer.WriteNumber(reason, count);
            }

            writer.WriteEndObject();
        }

        if (quality is not null)
        {
            writer.WriteNumber("labelled_windows", quality.Windows);
            writer.WriteNumber("detected", quality.Detected);
            writer.WriteNumber("missed", quality.Missed);
            writer.WriteNumber("false_alerts", quality.FalseAlerts);
            writer.WriteNumber("precision", Math.Round(quality.Precision, 4));
            writer.WriteNumber("recall", Math.Round(quality.Recall, 4));
            writer.WriteNumber("false_alerts_per_1000_windows", Math.Round(quality.FalseAlertsPerThousandWindows, 3));
            writer.WriteNumber("mean_detection_delay_seconds", Math.Round(quality.MeanDelaySeconds, 1));
        }

        writer.WriteEndObject();
        writer.Flush();
        Console.Out.WriteLine();
    }
}
