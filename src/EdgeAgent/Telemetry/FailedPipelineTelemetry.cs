using System.Text.Json;

namespace EdgeAgent.Telemetry;

/// <summary>What a pipeline whose model cannot be used reports instead of its counters, sensor and camera alike.</summary>
internal static class FailedPipelineTelemetry
{
    public static void Write(Utf8JsonWriter writer, string? failure, long buildFailures)
    {
        writer.WriteString("state", "failed");
        writer.WriteString("error", failure);
        writer.WriteNumber("buildFailures", buildFailures);
    }
}
