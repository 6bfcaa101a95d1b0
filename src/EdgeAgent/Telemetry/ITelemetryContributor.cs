using System.Text.Json;

namespace EdgeAgent.Telemetry;

/// <summary>
/// The hook for per-pipeline counters: register one per pipeline as a singleton <see cref="ITelemetryContributor"/>;
/// each report then carries <c>"pipelines": { "&lt;Name&gt;": { ...what WriteCounters wrote... } }</c>.
/// </summary>
public interface ITelemetryContributor
{
    /// <summary>The pipeline's name (a JSON property name in the report).</summary>
    string Name { get; }

    /// <summary>Writes the counters as properties of an object that is already open. Called every interval; must not block.</summary>
    void WriteCounters(Utf8JsonWriter writer);
}
