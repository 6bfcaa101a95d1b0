using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeAgent.Cli;

/// <summary>The agent's status report (see <see cref="Status.StatusReport"/>) as tables a person reads at a glance.</summary>
internal static class StatusTable
{
    public static string Render(JsonElement report)
    {
        var text = new StringBuilder();
        var uptime = TimeSpan.FromSeconds(report.GetProperty("uptimeSeconds").GetInt64());
        var health = report.GetProperty("health");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"edgeagent {Str(report, "version")} on {Str(report, "device")}: {Str(health, "overall")}, up {Uptime(uptime)} (pid {report.GetProperty("pid").GetInt64()})");
        text.AppendLine();

        var models = report.GetProperty("models");
        var rows = new List<string[]> { new[] { "PIPELINE", "KIND", "STATE", "MODEL", "ALERT", "LAST SCORE", "COUNTS" } };
        foreach (var pipeline in report.GetProperty("pipelines").EnumerateObject())
        {
            var p = pipeline.Value;
            var model = models.TryGetProperty(pipeline.Name, out var m)
                ? m.TryGetProperty("version", out var v) ? $"{Str(m, "name")} {v.GetString()}" + (m.TryGetProperty("update", out var u) && u.GetString() is not ("none" or "active") ? $" ({u.GetString()})" : string.Empty)
                : Path.GetFileName(Str(m, "path"))
                : "-";
            var alert = p.TryGetProperty("alertActive", out var a) ? (a.GetBoolean() ? "ACTIVE" : "no") : "-";
            var score = p.TryGetProperty("lastScore", out var s) ? s.GetDouble().ToString("0.###", CultureInfo.InvariantCulture) : "-";
            rows.Add([pipeline.Name, Str(p, "kind"), Str(p, "state"), model, alert, score, Counts(p)]);
        }

        text.Append(Table(rows));
        text.AppendLine();

        var mqtt = report.GetProperty("mqtt");
        var link = mqtt.TryGetProperty("broker", out var broker)
            ? $" ({broker.GetString()}, {mqtt.GetProperty("connections").GetInt64()} connection(s) since start): {Str(mqtt, "detail")}"
            : string.Empty;
        text.Append("MQTT     ").Append(Str(mqtt, "state")).AppendLine(link);
        if (report.TryGetProperty("outbox", out var outbox))
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Outbox   {outbox.GetProperty("depth").GetInt64()} waiting ({outbox.GetProperty("bytes").GetInt64()} B, oldest {outbox.GetProperty("oldestAgeSeconds").GetDouble():0.#} s), " +
                $"{outbox.GetProperty("delivered").GetInt64()} delivered, {outbox.GetProperty("dropped").GetInt64()} dropped, {outbox.GetProperty("rejected").GetInt64()} rejected");
            if (Str(outbox, "persistence") == "disk_full")
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"         DISK FULL: {outbox.GetProperty("memoryDepth").GetInt64()} held in memory, {outbox.GetProperty("unpersistedDelivered").GetInt64()} delivered unpersisted, " +
                    $"{outbox.GetProperty("memoryDropped").GetInt64()} dropped from memory");
            }
        }

        text.AppendLine();
        var components = new List<string[]> { new[] { "COMPONENT", "HEALTH", "SUMMARY" } };
        components.AddRange(health.GetProperty("components").EnumerateArray().Select(c => new[] { Str(c, "name"), Str(c, "state"), Str(c, "summary") }));
        text.Append(Table(components));
        return text.ToString();
    }

    private static string Counts(JsonElement p) => Str(p, "kind") switch
    {
        "sensor" when p.TryGetProperty("windows", out var windows) =>
            $"{p.GetProperty("samples").GetInt64()} samples, {windows.GetInt64()} windows, {p.GetProperty("modelErrors").GetInt64()} model errors",
        "camera" when p.TryGetProperty("fpsIn", out var fps) =>
            string.Create(CultureInfo.InvariantCulture, $"{fps.GetDouble():0.0} fps in, {p.GetProperty("fpsOut").GetDouble():0.0} out, {p.GetProperty("framesScored").GetInt64()} scored, {p.GetProperty("restarts").GetInt64()} restarts"),
        _ when p.TryGetProperty("error", out var error) => error.GetString() ?? string.Empty,
        _ => string.Empty,
    };

    private static string Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : string.Empty;

    private static string Uptime(TimeSpan t) => t.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}h{t.Minutes:00}m")
        : string.Create(CultureInfo.InvariantCulture, $"{t.Minutes}m{t.Seconds:00}s");

    /// <summary>Left-aligned columns two spaces apart; the last column is not padded.</summary>
    internal static string Table(IReadOnlyList<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i < row.Length - 1 ? row[i].PadRight(widths[i] + 2) : row[i]);
            }

            text.AppendLine();
        }

        return text.ToString();
    }
}
