using System.Text.Json.Serialization;

namespace EdgeAgent.Outbox;

/// <summary>What <c>outbox stats --json</c> prints; a fixed shape so the JSON is source-generated (trimming and Native AOT keep no reflection serializer).</summary>
internal sealed record OutboxStats(string Path, bool Exists, long Depth, long Bytes, double OldestAgeSeconds, long Dropped, long LastSeq);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OutboxStats))]
internal sealed partial class OutboxJsonContext : JsonSerializerContext;
