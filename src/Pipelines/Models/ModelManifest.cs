using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// <c>model.json</c>: what a model is and how to check it. The fields every model has are parsed here; the
/// rest (features, scorer, threshold, golden input) stays in <see cref="Document"/> for the pipeline that reads it.
/// </summary>
public sealed partial class ModelManifest
{
    public const string FileName = "model.json";

    private ModelManifest(string name, string version, string sha256, JsonElement document)
    {
        Name = name;
        Version = version;
        Sha256 = sha256;
        Document = document;
    }

    public string Name { get; }

    public string Version { get; }

    /// <summary>Lower-case hex SHA-256 of model.onnx.</summary>
    public string Sha256 { get; }

    public JsonElement Document { get; }

    /// <summary>Parses and checks a manifest; the message of the exception says what is wrong in plain words.</summary>
    public static ModelManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        // JsonDocument checks UTF-8 only when a string is read (GetString then throws InvalidOperationException).
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            throw new InvalidDataException("model.json is not valid UTF-8");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"model.json is not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {ex.Message.Split(" Path:", 2)[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("model.json must be a JSON object");
            }

            var name = RequiredString(root, "name");
            var version = RequiredString(root, "version");
            var sha = RequiredString(root, "sha256").ToLowerInvariant();
            if (!NamePattern().IsMatch(name))
            {
                throw new InvalidDataException($"model.json: name '{name}' must be 1..64 characters of A-Z, a-z, 0-9, '_' or '-'");
            }

            // The version becomes a directory name in the store: no separators, no "..", nothing hidden.
            if (!VersionPattern().IsMatch(version) || version.StartsWith('.'))
            {
                throw new InvalidDataException($"model.json: version '{version}' must be 1..64 characters of A-Z, a-z, 0-9, '.', '_', '+' or '-', not starting with '.'");
            }

            if (!ShaPattern().IsMatch(sha))
            {
                throw new InvalidDataException($"model.json: sha256 must be 64 hex digits, got '{sha}'");
            }

            return new ModelManifest(name, version, sha, root.Clone());
        }
    }

    private static string RequiredString(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"model.json: '{property}' is required and must be a non-empty string");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9._+-]{1,64}$")]
    private static partial Regex VersionPattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex ShaPattern();
}
