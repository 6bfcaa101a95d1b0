using System.Buffers;
using System.Text.Json;

namespace EdgeAgent.Ota;

/// <summary>The JSON of <c>&lt;base&gt;/models/reported</c> (documented in docs/ota.md).</summary>
public static class ReportedStateWriter
{
    public static byte[] Write(string deviceId, IReadOnlyList<PipelineModelStatus> statuses, DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("device", deviceId);
            json.WriteString("ts", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartObject("pipelines");
            foreach (var status in statuses)
            {
                json.WriteStartObject(status.Pipeline);
                WriteModel(json, "active", status.ActiveName, status.ActiveVersion);
                WriteModel(json, "previous", status.PreviousName, status.PreviousVersion);
                json.WriteStartObject("update");
                json.WriteString("state", SnakeCase(status.State));
                WriteModel(json, "candidate", status.CandidateName, status.CandidateVersion);
                if (status.Reason is { } reason)
                {
                    json.WriteString("reason", SnakeCase(reason));
                }

                if (status.Message is not null)
                {
                    json.WriteString("message", status.Message);
                }

                json.WriteString("updated", status.Updated.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string SnakeCase<T>(T value)
        where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    private static void WriteModel(Utf8JsonWriter json, string property, string? name, string? version)
    {
        if (name is null || version is null)
        {
            json.WriteNull(property);
            return;
        }

        json.WriteStartObject(property);
        json.WriteString("name", name);
        json.WriteString("version", version);
        json.WriteEndObject();
    }
}
