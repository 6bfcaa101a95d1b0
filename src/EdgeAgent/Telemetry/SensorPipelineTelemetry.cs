using System.Text.Json;
using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Telemetry;

/// <summary>A sensor pipeline's counters in each telemetry report: what came in, what was rejected, what was scored.</summary>
public sealed class SensorPipelineTelemetry : ITelemetryContributor
{
    private readonly Func<SensorPipelineService> _find;
    private SensorPipelineService? _service;

    /// <param name="find">Finds the pipeline's service once the host is built; the telemetry service itself is a hosted
    /// service, so resolving the pipelines eagerly here would be a dependency cycle.</param>
    public SensorPipelineTelemetry(string name, Func<SensorPipelineService> find)
    {
        Name = name;
        _find = find;
    }

    public string Name { get; }

    public void WriteCounters(Utf8JsonWriter writer)
    {
        _service ??= _find();
        writer.WriteString("kind", "sensor");
        if (_service.Runner is not { } runner)
        {
            FailedPipelineTelemetry.Write(writer, _service.Failure, _service.BuildFailures);
            return;
        }

        var pipeline = runner.Pipeline;
        var windows = pipeline.Counters;
        writer.WriteString("state", "running");
        writer.WriteNumber("samples", windows.Samples);
        writer.WriteNumber("windows", windows.Windows);
        writer.WriteNumber("gaps", windows.Gaps);
        writer.WriteNumber("outOfRange", windows.OutOfRange);
        writer.WriteNumber("nonFinite", windows.NonFinite);
        writer.WriteNumber("late", windows.Late);
        writer.WriteNumber("modelErrors", pipeline.Slot.ModelErrors);
        writer.WriteBoolean("alertActive", pipeline.Alert.Active);
        if (double.IsFinite(pipeline.LastScore))
        {
            writer.WriteNumber("lastScore", pipeline.LastScore);
        }

        writer.WriteStartObject("sources");
        foreach (var source in runner.Sources)
        {
            writer.WriteStartObject(source.Name);
            writer.WriteNumber("samples", source.Counters.Samples);
            writer.WriteNumber("badInput", source.Counters.TotalBad);
            writer.WriteNumber("readErrors", source.Counters.ReadErrors);
            writer.WriteNumber("deviceLost", source.Counters.DeviceLost);
            if (source.Counters.TotalBad > 0)
            {
                // Counted by reason: "why is my pipeline silent" is answered here (e.g. timestampInFuture).
                writer.WriteStartObject("badInputByReason");
                foreach (var kind in Enum.GetValues<EdgeAgent.Pipelines.Sources.BadInput>())
                {
                    if (source.Counters[kind] is var count and > 0)
                    {
                        writer.WriteNumber(EdgeAgent.Configuration.ConfigPath.CamelCase(kind.ToString()), count);
                    }
                }

                writer.WriteEndObject();
            }

            // Down while an outage (a missing bus, a chip that stopped answering) has not ended; the source is retrying.
            writer.WriteBoolean("down", source.Counters.DeviceLost > source.Counters.DeviceBack);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
