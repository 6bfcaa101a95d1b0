using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeAgent.Ota;

/// <summary>
/// Parses the retained JSON on <c>&lt;base&gt;/models/desired</c> and <c>edgeagent/groups/&lt;group&gt;/models/desired</c>:
/// <c>{"pipelines": {"&lt;pipeline&gt;": {"name", "version", "url", "sha256", "size", "signature"?}}}</c>.
/// Every problem is a <see cref="OtaRejectedException"/> naming the field; nothing half-parsed is used.
/// </summary>
public static partial class DesiredStateParser
{
    public static IReadOnlyList<DesiredModel> Parse(ReadOnlySpan<byte> utf8Json, string source, IReadOnlySet<string> knownPipelines)
    {
        // JsonDocument checks UTF-8 only when a string is read (GetString then throws InvalidOperationException):
        // checked here, so a byte soup is a malformed request like any other.
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            throw new OtaRejectedException(RejectionReason.MalformedRequest, $"desired state from {source} is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new OtaRejectedException(RejectionReason.MalformedRequest, $"desired state from {source} is not valid JSON: {ex.Message.Split(" Path:", 2)[0]}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("pipelines", out var pipelines) || pipelines.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(source, "must be an object with a 'pipelines' object");
            }

            var result = new List<DesiredModel>();
            foreach (var entry in pipelines.EnumerateObject())
            {
                if (!knownPipelines.Contains(entry.Name))
                {
                    throw new OtaRejectedException(RejectionReason.UnknownPipeline,
                        $"desired state from {source} names pipeline '{entry.Name}', which this device does not have (it has: {string.Join(", ", knownPipelines.Order())})");
                }

                result.Add(ParseEntry(entry.Name, entry.Value, source));
            }

            return result;
        }
    }

    /// <summary>Per pipeline, the device's own desired state wins over its groups', and earlier groups over later ones.</summary>
    public static IReadOnlyDictionary<string, DesiredModel> Merge(IReadOnlyList<DesiredModel> device, IEnumerable<IReadOnlyList<DesiredModel>> groupsInOrder)
    {
        var merged = new Dictionary<string, DesiredModel>(StringComparer.Ordinal);
        foreach (var desired in device)
        {
            merged[desired.Pipeline] = desired;
        }

        foreach (var group in groupsInOrder)
        {
            foreach (var desired in group)
            {
                merged.TryAdd(desired.Pipeline, desired);
            }
        }

        return merged;
    }

    private static DesiredModel ParseEntry(string pipeline, JsonElement entry, string source)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(source, $"pipelines.{pipeline} must be an object");
        }

        string Text(string field)
        {
            return entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
                ? text
                : throw Malformed(source, $"pipelines.{pipeline}.{field} is required and must be a non-empty string");
        }

        var name = Text("name");
        var version = Text("version");
        var url = Text("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http" or "file"))
        {
            throw Malformed(source, $"pipelines.{pipeline}.url must be an absolute https://, http:// or file:// URL, got '{url}'");
        }

        var sha = Text("sha256").ToLowerInvariant();
        if (!Sha256Pattern().IsMatch(sha))
        {
            throw Malformed(source, $"pipelines.{pipeline}.sha256 must be 64 hex digits");
        }

        if (!entry.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size) || size <= 0)
        {
            throw Malformed(source, $"pipelines.{pipeline}.size must be a positive whole number of bytes");
        }

        string? signature = null;
        if (entry.TryGetProperty("signature", out var signatureElement) && signatureElement.ValueKind != JsonValueKind.Null)
        {
            signature = signatureElement.ValueKind == JsonValueKind.String
                ? signatureElement.GetString()
                : throw Malformed(source, $"pipelines.{pipeline}.signature must be a base64 string");
        }

        return new DesiredModel(pipeline, name, version, uri, sha, size, signature, source);
    }

    private static OtaRejectedException Malformed(string source, string message) =>
        new(RejectionReason.MalformedRequest, $"desired state from {source}: {message}");

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
