using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent replay</c>: runs a sensor or camera pipeline offline over a recorded file as fast as possible — the
/// same model (the one the agent serves, unless --model names another), scorer and alert logic as the daemon — and
/// prints its events as JSON lines, then a summary. With NAB-style labels it scores the detector: detected and missed
/// windows, false alerts, precision, recall, mean detection delay. How a kind turns the file into model runs is its
/// own (<see cref="SensorReplay"/>, <see cref="CameraReplay"/>); the rest is this one verb's.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var arguments = new PipelineArguments(PipelineKind.Sensor, PipelineKind.Camera);
        var input = new Option<string>("--input", "-i") { Description = "CSV or JSON Lines with a timestamp column and the pipeline's channels; a video file for a camera pipeline.", Required = true };
        var labels = new Option<string?>("--labels") { Description = "NAB-style labels: JSON mapping file names to [start, end] anomaly windows (a camera's frames count as its windows)." };
        var model = new Option<string?>("--model") { Description = "Run this ONNX model (model.json beside it) instead of the one the pipeline serves (the model store's active version, else model.path)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object after the events." };
        var command = new Command("replay", "Run a sensor or camera pipeline over a recorded file and print its events (and detection quality with --labels).") { input, labels, model, json };
        arguments.AddTo(command);
        command.SetAction((result, cancellationToken) => arguments.RunAsync(result, async (loaded, pipeline) =>
        {
            var file = result.GetValue(input)!;
            if (!PipelineArguments.InputExists(file))
            {
                return ExitCodes.DataError;
            }

            var modelPath = PipelineArguments.ServedModel(loaded, pipeline, result.GetValue(model), "--model runs another");
            using var runtime = modelPath is null ? null : InferenceRuntime.Create(loaded.Options.Inference);
            var printer = new EventPrinter(Console.Out);
            var summary = pipeline.Kind == PipelineKind.Camera
                ? await CameraReplay.RunAsync(loaded, pipeline, file, modelPath, runtime, printer, cancellationToken).ConfigureAwait(false)
                : await SensorReplay.RunAsync(loaded, pipeline, file, modelPath, runtime, printer, cancellationToken).ConfigureAwait(false);
            Console.Out.Flush();
            DetectionQuality? quality = null;
            if (result.GetValue(labels) is { } labelsPath)
            {
                var all = LabelledWindows.Load(labelsPath);
                if (!all.TryGetValue(Path.GetFileName(file), out var windowsOfFile))
                {
                    Console.Error.WriteLine($"edgeagent: {labelsPath} has no labels for '{Path.GetFileName(file)}'");
                    return ExitCodes.DataError;
                }

                quality = DetectionQuality.Evaluate(windowsOfFile, printer.Starts, (int)summary.Units);
            }

            summary.Write(result.GetValue(json), file, printer.Count, quality);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The replay's outbound queue: every event as one JSON line; anomaly_start times kept for scoring.</summary>
    internal sealed class EventPrinter : IOutboundQueue
    {
        private readonly TextWriter _out;

        public EventPrinter(TextWriter output)
        {
            _out = output;
        }

        public List<long> Starts { get; } = [];

        public int Count { get; private set; }

        public void Enqueue(ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, MessageOptions options)
        {
            // The retained alerts/<pipeline> state mirrors the events; a replay prints the events alone.
            if (!relativeTopic.StartsWith(MqttTopics.EventsPrefix))
            {
                return;
            }

            Count++;
            _out.WriteLine(System.Text.Encoding.UTF8.GetString(payload));
            using var document = JsonDocument.Parse(payload.ToArray());
            if (document.RootElement.TryGetProperty("type", out var type) && type.GetString() == "anomaly_start" &&
                document.RootElement.TryGetProperty("ts", out var ts))
            {
                Starts.Add(DateTime.Parse(ts.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal).Ticks);
            }
        }
    }
}
