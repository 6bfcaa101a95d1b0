using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// <c>edgeagent evaluate</c>: runs every CSV series of a folder (NAB layout: <c>timestamp,value</c>) through a sensor
/// pipeline as the daemon would see it live, learning from the first row, and writes per series the rows where an
/// alert started, in the format of NAB's scorer (<c>OUT/NAME.csv</c>: a header, then <c>timestamp,1</c>).
/// </summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var arguments = new PipelineArguments();
        var input = new Option<string>("--input", "-i") { Description = "Folder of CSV series (timestamp and the pipeline's channels, NAB layout).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the detections: one NAME.csv per series with the timestamp of each anomaly_start.", Required = true };
        var labels = new Option<string?>("--labels") { Description = "NAB-style labels (JSON: file name -> [start, end] windows): print windows found, missed and false alerts." };
        var report = new Option<string?>("--report") { Description = "HTML report of every series (not available in this build yet)." };
        var command = new Command("evaluate", "Run every CSV series in a folder through a sensor pipeline (learning from the start) and write its alert starts in NAB's detections format.") { input, output, labels, report };
        arguments.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (loaded, pipeline, code) = arguments.Resolve(result);
            if (loaded is null || pipeline is null)
            {
                return code;
            }

            var folder = result.GetValue(input)!;
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"edgeagent: input folder '{folder}' does not exist");
                return ExitCodes.DataError;
            }

            if (result.GetValue(report) is not null)
            {
                Console.Error.WriteLine("edgeagent: --report is not available in this build yet");
                return ExitCodes.Usage;
            }

            var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"edgeagent: no .csv series in '{folder}'");
                return ExitCodes.DataError;
            }

            var outFolder = result.GetValue(output)!;
            var labelsPath = result.GetValue(labels);
            return await PipelineArguments.RunAsync(() => Task.FromResult(Run(loaded, pipeline, files, outFolder, labelsPath, cancellationToken)))
                .ConfigureAwait(false);
        });
        return command;
    }

    private static int Run(LoadedConfig loaded, PipelineOptions pipeline, string[] files, string outFolder, string? labelsPath, CancellationToken cancellationToken)
    {
        var labels = labelsPath is null ? null : LabelledWindows.Load(labelsPath);
        Directory.CreateDirectory(outFolder);
        using var runtime = pipeline.Model.Path.Length > 0 ? InferenceRuntime.Create(loaded.Options.Inference) : null;
        var runner = new SeriesRunner(loaded, pipeline, runtime);
        var clock = Stopwatch.StartNew();
        var failed = 0;
        var totals = new int[4];

        // Printed after the progress line is done, so they do not break it on a terminal.
        var notes = new List<string>();
        using var progress = new ProgressLine("evaluate", "series");
        for (var i = 0; i < files.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(files[i]);
            EvaluatedSeries series;
            try
            {
                series = runner.Run(files[i]);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
            {
                // One unreadable series is reported and the rest still run; the exit code says that one failed.
                failed++;
                notes.Add($"edgeagent: {name}: {ex.Message}");
                continue;
            }

            WriteDetections(Path.Combine(outFolder, name), series);
            progress.Report(i + 1);
            if (runner.LastCounters is { TotalBad: > 0 } counters)
            {
                var reasons = Enum.GetValues<BadInput>().Where(kind => counters[kind] > 0)
                    .Select(kind => string.Create(CultureInfo.InvariantCulture, $"{ConfigPath.CamelCase(kind.ToString())} {counters[kind]}"));
                notes.Add($"evaluate: {name}: {counters.TotalBad} values skipped ({string.Join(", ", reasons)})");
            }

            if (labels is not null)
            {
                Summarise(name, series, labels, totals);
            }
        }

        progress.Done();
        notes.ForEach(Console.Error.WriteLine);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluate: {files.Length - failed} of {files.Length} series in {clock.Elapsed.TotalSeconds:0.0} s; detections in {outFolder}"));
        if (labels is not null)
        {
            Console.Out.WriteLine($"total: windows {totals[0]} found {totals[1]} missed {totals[2]} false alerts {totals[3]}");
        }

        return failed > 0 ? ExitCodes.DataError : ExitCodes.Ok;
    }

    private static void WriteDetections(string path, EvaluatedSeries series)
    {
        var text = new StringBuilder("timestamp,anomaly_score\n");
        foreach (var row in series.AlertStarts)
        {
            text.Append(series.RawTimestamps[row]).Append(",1\n");
        }

        File.WriteAllText(path, text.ToString());
    }

    // Found, missed and false alerts only: NAB's weighted score is computed by the scoring code over the same record.
    private static void Summarise(string name, EvaluatedSeries series, IReadOnlyDictionary<string, IReadOnlyList<(long Start, long End)>> labels, int[] totals)
    {
        if (!labels.TryGetValue(name, out var windows))
        {
            Console.Out.WriteLine($"{name}: no labels");
            return;
        }

        var quality = DetectionQuality.Evaluate(windows, [.. series.AlertStarts.Select(r => series.Timestamps[r])], series.Timestamps.Count);
        totals[0] += quality.Windows;
        totals[1] += quality.Detected;
        totals[2] += quality.Missed;
        totals[3] += quality.FalseAlerts;
        Console.Out.WriteLine($"{name}: windows {quality.Windows} found {quality.Detected} missed {quality.Missed} false alerts {quality.FalseAlerts}");
    }
}
