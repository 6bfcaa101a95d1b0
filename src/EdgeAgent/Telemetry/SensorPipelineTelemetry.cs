using System.Text.Json;
using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Telemetry;

/// <summary>A sensor pipeline's counters in each telemetry report: what came in, what was rejected, what was scored.</summary>
public sealed class SensorPipelineTelemetry : ITelemetryContributor
{
    private readonly Func<SensorPipelineRunner> _find;
    private SensorPipelineRunner? _runner;

    /// <param name="find">Finds the runner once the host is built; the telemetry service itself is a hosted
    /// service, so resolving the pipelines eagerly here would be a dependency cycle.</param>
    public SensorPipelineTelemetry(string name, Func<SensorPipelineRunner> find)
    {
        Name = name;
        _find = find;
    }

    public string Name { get; }

    public void WriteCounters(Utf8JsonWriter writer)
    {
        _runner ??= _find();
        var pipeline = _runner.Pipeline;
        var windows = pipeline.Counters;
        writer.WriteString("kind", "sensor");
        writer.WriteNumber("samples", windows.Samples);
        writer.WriteNumber("windows", windows.Windows);
        writer.WriteNumber("gaps", windows.Gaps);
        writer.WriteNumber("outOfRange", windows.OutOfRange);
        writer.WriteNumber("nonFinite", windows.NonFinite);
        writer.WriteNumber("late", windows.Late);
        writer.WriteBoolean("alertActive", pipeline.Alert.Active);
        if (double.IsFinite(pipeline.LastScore))
        {
            writer.WriteNumber("lastScore", pipeline.LastScore);
        }

        writer.WriteStartObject("sources");
        foreach (var source in _runner.Sources)
        {
            writer.WriteStartObject(source.Name);
            writer.WriteNumber("samples", source.Counters.Samples);
            writer.WriteNumber("badInput", source.Counters.TotalBad);
            writer.WriteNumber("readErrors", source.Counters.ReadErrors);
            writer.WriteNumber("deviceLost", source.Counters.DeviceLost);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
