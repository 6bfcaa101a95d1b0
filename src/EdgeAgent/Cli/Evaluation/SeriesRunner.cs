using System.Text;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Novelty;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Cli.Evaluation;

/// <summary>
/// Runs one CSV series through a fresh sensor pipeline, row by row, as the daemon would see it live: the same
/// source gate (rows with unreadable values, duplicate or backward timestamps are counted and skipped), windows,
/// features, model (the one the agent serves, or the built-in detector learning from the first row), scorer and
/// alert logic. Nothing of one series carries over to the next.
/// </summary>
internal sealed class SeriesRunner
{
    private readonly LoadedConfig _config;
    private readonly PipelineOptions _pipeline;
    private readonly string? _modelPath;
    private readonly InferenceRuntime? _runtime;

    /// <param name="modelPath">The model the pipeline serves (<see cref="PipelineArguments.ServedModel"/>); null: the built-in detector, which needs no runtime.</param>
    public SeriesRunner(LoadedConfig config, PipelineOptions pipeline, string? modelPath, InferenceRuntime? runtime)
    {
        _config = config;
        _pipeline = pipeline;
        _modelPath = modelPath;
        _runtime = runtime;
    }

    /// <summary>Rows skipped by the source gate in the last run, by reason.</summary>
    public SourceCounters? LastCounters { get; private set; }

    public EvaluatedSeries Run(string file)
    {
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"{file}: empty file");
        }

        var options = PipelineArguments.WithReplay(_pipeline, file);
        var channels = SensorPipelineFactory.Channels(options);
        var timestampField = options.Sources[0].Replay.TimestampField;
        var parser = new RecordParser(RecordFormat.Csv, [.. channels.Select(c => c.EffectiveField)], timestampField);
        if (parser.ReadHeader(Encoding.UTF8.GetBytes(lines[0])) is { } problem)
        {
            throw new InvalidDataException($"{file}: {problem}; set the channel's field and replay.timestampField to columns of the file");
        }

        var timestampColumn = Array.FindIndex(lines[0].Split(','), n => n.Trim().Trim('"') == timestampField);
        var context = new SourceContext($"{_pipeline.Name}/input", 0, channels, NullLogger.Instance);
        var features = SensorPipelineFactory.CreateFeatures(options);
        var binding = _modelPath is null ? DetectorBinding.Create(options, features) : PipelineModelLoader.Load(_runtime!, options, features, _modelPath);
        var sensor = SensorPipelineFactory.Create(options, _config.Options.DeviceId, binding.Model, binding.Threshold, DiscardQueue.Instance, features);

        var rows = lines.Length - 1;
        var raw = new List<string>(rows);
        var stamps = new List<long>(rows);
        var values = new List<double>(rows);
        var scores = new List<double>(rows);
        var thresholds = new List<double>(rows);
        var starts = new List<int>();
        var ends = new List<int>();
        var parsed = new double[channels.Count];
        var valid = new bool[channels.Count];
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            var row = raw.Count;
            raw.Add(Field(line, timestampColumn));
            var value = double.NaN;
            var ticks = 0L;
            if (parser.TryParse(Encoding.UTF8.GetBytes(line), context, parsed, valid, out ticks))
            {
                var wasActive = sensor.Alert.Active;
                var alertId = sensor.Alert.AlertId;
                var accepted = false;
                for (var c = 0; c < channels.Count; c++)
                {
                    if (valid[c] && context.TryAccept(c, ticks, parsed[c], out var sample))
                    {
                        accepted = true;
                        sensor.OnSample(sample);
                    }
                }

                if (accepted)
                {
                    value = parsed[0];
                }

                if (sensor.Alert.AlertId != alertId)
                {
                    if (wasActive)
                    {
                        ends.Add(row);
                    }

                    starts.Add(row);
                }
                else if (wasActive && !sensor.Alert.Active)
                {
                    ends.Add(row);
                }
            }

            stamps.Add(ticks);
            values.Add(value);
            scores.Add(sensor.Alert.LastJudged);
            thresholds.Add(sensor.Alert.RaiseThreshold);
        }

        LastCounters = context.Counters;
        (binding.Model as IDisposable)?.Dispose();
        return new EvaluatedSeries(Path.GetFileName(file), raw, stamps, values, scores, thresholds, starts, ends);
    }

    // The timestamp text exactly as the file writes it (NAB's scorer matches it as text).
    private static string Field(string line, int column)
    {
        if (column < 0)
        {
            return string.Empty;
        }

        var start = 0;
        for (var c = 0; c < column; c++)
        {
            start = line.IndexOf(',', start) + 1;
            if (start == 0)
            {
                return string.Empty;
            }
        }

        var end = line.IndexOf(',', start);
        return line[start..(end < 0 ? line.Length : end)].Trim();
    }
}
