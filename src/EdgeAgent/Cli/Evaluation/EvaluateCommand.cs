using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Scoring;

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
        var labels = new Option<string?>("--labels") { Description = "NAB-style labels (JSON: file name -> [start, end] windows): print per series and in total the windows found and missed, false alerts, mean delay and NAB's standard, reward-low-FP and reward-low-FN scores." };
        var report = new Option<string?>("--report") { Description = "Write one self-contained HTML page with a chart per series (signal, score, threshold, labelled windows, alerts)." };
        var command = new Command("evaluate", "Run every CSV series in a folder through a sensor pipeline (learning from the start) and write its alert starts in NAB's detections format.") { input, output, labels, report };
        arguments.AddTo(command);
        command.SetAction((result, cancellationToken) => arguments.RunAsync(result, (loaded, pipeline) =>
        {
            var folder = result.GetValue(input)!;
            if (!Directory.Exists(folder))
            {
                Console.Error.WriteLine($"edgeagent: input folder '{folder}' does not exist");
                return Task.FromResult(ExitCodes.DataError);
            }

            var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0)
            {
                Console.Error.WriteLine($"edgeagent: no .csv series in '{folder}'");
                return Task.FromResult(ExitCodes.DataError);
            }

            return Task.FromResult(Run(loaded, pipeline, files, result.GetValue(output)!, result.GetValue(labels), result.GetValue(report), cancellationToken));
        }));
        return command;
    }

    private static int Run(LoadedConfig loaded, PipelineOptions pipeline, string[] files, string outFolder, string? labelsPath, string? reportPath,
        CancellationToken cancellationToken)
    {
        // Read first: a wrong labels path is a one-line error before any series runs, not a stack trace after.
        var labels = labelsPath is null ? null : LabelledWindows.Load(labelsPath);
        Directory.CreateDirectory(outFolder);
        var modelPath = PipelineArguments.ServedModel(loaded, pipeline);
        using var runtime = modelPath is null ? null : InferenceRuntime.Create(loaded.Options.Inference);
        var runner = new SeriesRunner(loaded, pipeline, modelPath, runtime);
        var clock = Stopwatch.StartNew();
        var failed = 0;
        var evaluated = new List<EvaluatedSeries>(files.Length);

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

            DetectionsFile.Write(Path.Combine(outFolder, name), series);
            evaluated.Add(series);
            progress.Report(i + 1);
            if (runner.LastCounters is { TotalBad: > 0 } counters)
            {
                var reasons = counters.RejectionsByReason().Select(reason => string.Create(CultureInfo.InvariantCulture, $"{reason.Reason} {reason.Count}"));
                notes.Add($"evaluate: {name}: {counters.TotalBad} values skipped ({string.Join(", ", reasons)})");
            }
        }

        progress.Done();
        notes.ForEach(Console.Error.WriteLine);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaluate: {files.Length - failed} of {files.Length} series in {clock.Elapsed.TotalSeconds:0.0} s; detections in {outFolder}"));
        var nab = labels is null ? null : NabScorer.Score(evaluated, labels);
        if (nab is not null)
        {
            NabReportPrinter.Write(Console.Out, nab);
        }

        if (reportPath is not null)
        {
            EvaluationReport.Write(reportPath, evaluated, labels, nab);
            Console.Error.WriteLine($"evaluate: report in {reportPath}");
        }

        return failed > 0 ? ExitCodes.DataError : ExitCodes.Ok;
    }
}
