using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent replay</c>: runs a sensor pipeline offline over a file as fast as possible — the same windows,
/// features, model, scorer and alert logic as the daemon — and prints its events as JSON lines. With NAB-style labels
/// it scores the detector: detected and missed windows, false alerts, precision, recall, mean detection delay.
/// </summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var arguments = new PipelineArguments();
        var input = new Option<string>("--input", "-i") { Description = "CSV or JSON Lines with a timestamp column and the pipeline's channels; a video file for a camera pipeline.", Required = true };
        var labels = new Option<string?>("--labels") { Description = "NAB-style labels: JSON mapping file names to [start, end] anomaly windows." };
        var model = new Option<string?>("--model") { Description = "Run this ONNX model (model.json beside it) instead of the pipeline's." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object after the events." };
        var command = new Command("replay", "Run a sensor or camera pipeline over a recorded file and print its events (and detection quality with --labels).") { input, labels, model, json };
        arguments.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (loaded, pipeline, code) = arguments.Resolve(result, cameras: true);
            if (loaded is null || pipeline is null)
            {
                return code;
            }

            var file = result.GetValue(input)!;
            if (!PipelineArguments.InputExists(file))
            {
                return ExitCodes.DataError;
            }

            return await PipelineArguments.RunAsync(async () =>
            {
                if (pipeline.Kind == PipelineKind.Camera)
                {
                    return await CameraReplay.RunAsync(loaded, pipeline, file, result.GetValue(model), result.GetValue(json), cancellationToken).ConfigureAwait(false);
                }

                var replay = PipelineArguments.WithReplay(pipeline, file);
                var modelPath = result.GetValue(model) is { } explicitPath ? Path.GetFullPath(explicitPath)
                    : pipeline.Model.Path.Length > 0 ? PipelineModelLoader.Resolve(pipeline.Model.Path)
                    : throw new AgentStartupException($"pipeline '{pipeline.Name}' has no model.path; give one with --model", ExitCodes.Usage);
                using var runtime = InferenceRuntime.Create(loaded.Options.Inference);
                var features = SensorPipelineFactory.CreateFeatures(replay);
                var binding = PipelineModelLoader.Load(runtime, replay, features, modelPath);
                var printer = new EventPrinter(Console.Out);
                var sensor = SensorPipelineFactory.Create(replay, loaded.Options.DeviceId, binding.Model, binding.Threshold, printer, features);

                var sources = new List<SampleSource>();
                var samples = await CalibrationData.ReadAllAsync(replay, StderrLoggerFactory.Instance, cancellationToken: cancellationToken, created: sources).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                foreach (var sample in samples)
                {
                    sensor.OnSample(sample);
                }

                clock.Stop();
                Console.Out.Flush();
                var windows = (int)sensor.Counters.Windows;
                DetectionQuality? quality = null;
                if (result.GetValue(labels) is { } labelsPath)
                {
                    var all = LabelledWindows.Load(labelsPath);
                    if (!all.TryGetValue(Path.GetFileName(file), out var windowsOfFile))
                    {
                        Console.Error.WriteLine($"edgeagent: {labelsPath} has no labels for '{Path.GetFileName(file)}'");
                        return ExitCodes.DataError;
                    }

                    quality = DetectionQuality.Evaluate(windowsOfFile, printer.Starts, windows);
                }

                WriteSummary(result.GetValue(json), file, samples.Count, windows, clock.Elapsed, printer.Count, quality, Skipped(sources));
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>What the sources rejected, by reason (the names telemetry's badInputByReason uses).</summary>
    private static SortedDictionary<string, long> Skipped(IEnumerable<SampleSource> sources)
    {
        var skipped = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var kind in Enum.GetValues<BadInput>())
            {
                if (source.Counters[kind] is var count and > 0)
                {
                    var name = ConfigPath.CamelCase(kind.ToString());
                    skipped[name] = skipped.GetValueOrDefault(name) + count;
                }
            }
        }

        return skipped;
    }

    private static void WriteSummary(bool json, string file, int samples, int windows, TimeSpan elapsed, int events, DetectionQuality? quality,
        SortedDictionary<string, long> skipped)
    {
        var rate = windows / Math.Max(elapsed.TotalSeconds, 1e-9);
        if (!json)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"replay: {samples} samples, {windows} windows, {events} events in {elapsed.TotalMilliseconds:0} ms ({rate:0} windows/s)"));
            if (skipped.Count > 0)
            {
                // Never silent: what was left out and why (timestampInFuture: a record dated beyond this device's clock + replay tolerance).
                Console.Error.WriteLine($"replay: skipped {skipped.Values.Sum()} input(s): {string.Join(", ", skipped.Select(s => $"{s.Value} {s.Key}"))}");
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
        writer.WriteNumber("samples", samples);
        writer.WriteNumber("windows", windows);
        writer.WriteNumber("events", events);
        writer.WriteNumber("elapsed_ms", Math.Round(elapsed.TotalMilliseconds, 3));
        writer.WriteNumber("windows_per_second", Math.Round(rate, 1));
        writer.WriteStartObject("skipped");
        foreach (var (reason, count) in skipped)
        {
            writer.WriteNumber(reason, count);
        }

        writer.WriteEndObject();
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
