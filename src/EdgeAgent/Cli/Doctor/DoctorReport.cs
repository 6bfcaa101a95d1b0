using System.Text;
using System.Text.Json;

namespace EdgeAgent.Cli.Doctor;

/// <summary>The checks as a readable list or as JSON, and the exit code: 0 all ok, 1 warnings, 2 errors.</summary>
public static class DoctorReport
{
    public static int ExitCode(IReadOnlyList<DoctorCheck> checks) => checks.Count == 0 ? 0 : (int)checks.Max(c => c.Verdict);

    public static string Text(IReadOnlyList<DoctorCheck> checks)
    {
        var text = new StringBuilder();
        var width = checks.Count == 0 ? 0 : checks.Max(c => c.Name.Length);
        foreach (var check in checks)
        {
            var mark = check.Verdict switch
            {
                DoctorVerdict.Ok => "ok   ",
                DoctorVerdict.Warning => "WARN ",
                _ => "ERROR",
            };
            text.Append(mark).Append("  ").Append(check.Name.PadRight(width)).Append("  ").AppendLine(check.Reason);
            if (check.Fix.Length > 0)
            {
                text.Append(' ', 7 + width + 2).Append("fix: ").AppendLine(check.Fix);
            }
        }

        var errors = checks.Count(c => c.Verdict == DoctorVerdict.Error);
        var warnings = checks.Count(c => c.Verdict == DoctorVerdict.Warning);
        text.AppendLine().Append(checks.Count).Append(" checks: ").Append(errors).Append(" error(s), ").Append(warnings).AppendLine(" warning(s)");
        return text.ToString();
    }

    public static string Json(IReadOnlyList<DoctorCheck> checks)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("verdict", ((DoctorVerdict)ExitCode(checks)).ToString().ToLowerInvariant());
            w.WriteStartArray("checks");
            foreach (var check in checks)
            {
                w.WriteStartObject();
                w.WriteString("name", check.Name);
                w.WriteString("verdict", check.Verdict.ToString().ToLowerInvariant());
                w.WriteString("reason", check.Reason);
                w.WriteString("fix", check.Fix);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
