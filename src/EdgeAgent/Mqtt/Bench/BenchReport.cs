using System.Text.Json.Serialization;

namespace EdgeAgent.Mqtt.Bench;

/// <summary>What <c>mqtt bench --json</c> prints; a fixed shape so the JSON is source-generated (trimming and Native AOT keep no reflection serializer).</summary>
internal sealed record BenchReport(
    int Count,
    int Qos,
    int PayloadBytes,
    int Producers,
    int Rate,
    string Synchronous,
    long Acknowledged,
    double Seconds,
    double EventsPerSecond,
    double EnqueuedPerSecond,
    BenchLatency LatencyMs,
    BenchAllocation AllocatedBytesPerEvent,
    bool Complete);

internal sealed record BenchLatency(double P50, double P90, double P99, double Max);

internal sealed record BenchAllocation(double Producers, double Process);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
