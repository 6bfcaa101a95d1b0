using System.Buffers;
using System.Text.Json;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// The sensor-model part of <c>model.json</c>: the feature names the model was calibrated on, the standardisation
/// the pipeline applies before the model, and the alert threshold learned from normal data.
/// </summary>
public sealed record SensorModelManifest(
    string Name,
    string Version,
    string Kind,
    string Variant,
    IReadOnlyList<string> Features,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    double Threshold,
    JsonElement? Calibration)
{
    /// <summary>Reads the sensor fields of a parsed manifest; a missing or inconsistent field says which.</summary>
    public static SensorModelManifest From(ModelManifest manifest)
    {
        var root = manifest.Document;
        var features = Strings(root, "features");
        var standardization = root.TryGetProperty("standardization", out var s) && s.ValueKind == JsonValueKind.Object
            ? s
            : throw new InvalidDataException("model.json: 'standardization' {mean, std} is required for a sensor model");
        var mean = Numbers(standardization, "mean");
        var std = Numbers(standardization, "std");
        if (mean.Count != features.Count || std.Count != features.Count)
        {
            throw new InvalidDataException($"model.json: {features.Count} features but standardization has {mean.Count} means and {std.Count} stds");
        }

        // ValueKind first: TryGetDouble and GetString throw on the wrong kind ("threshold": "0.1", "features": [0, 1]).
        if (!root.TryGetProperty("threshold", out var threshold) || threshold.ValueKind != JsonValueKind.Number ||
            !threshold.TryGetDouble(out var value) || !(value > 0) || !double.IsFinite(value))
        {
            throw new InvalidDataException("model.json: 'threshold' must be a positive number");
        }

        if (ModelPlausibility.CheckThreshold(value) is { } implausible)
        {
            throw new InvalidDataException($"model.json: {implausible}");
        }

        for (var i = 0; i < mean.Count; i++)
        {
            if (Math.Abs(mean[i]) > ModelPlausibility.MaxMagnitude || !(std[i] > ModelPlausibility.MinStd) || std[i] > ModelPlausibility.MaxMagnitude)
            {
                throw new InvalidDataException(
                    $"model.json: standardization of feature {i} (mean {mean[i]:G6}, std {std[i]:G6}) is implausible: |mean| ≤ {ModelPlausibility.MaxMagnitude:G1} and {ModelPlausibility.MinStd:G1} < std ≤ {ModelPlausibility.MaxMagnitude:G1}");
            }
        }

        return new SensorModelManifest(manifest.Name, manifest.Version, Text(root, "kind"), Text(root, "variant"), features, mean, std, value,
            root.TryGetProperty("calibration", out var calibration) ? calibration.Clone() : null);
    }

    /// <summary>The whole model.json (with <paramref name="sha256"/> of model.onnx), as <c>edgeagent calibrate</c> writes it.</summary>
    public byte[] ToJson(string sha256, Action<Utf8JsonWriter>? calibration = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("name", Name);
            json.WriteString("version", Version);
            json.WriteString("sha256", sha256);
            json.WriteString("kind", Kind);
            json.WriteString("variant", Variant);
            json.WriteStartArray("features");
            foreach (var feature in Features)
            {
                json.WriteStringValue(feature);
            }

            json.WriteEndArray();
            json.WriteStartObject("standardization");
            WriteNumbers(json, "mean", Mean);
            WriteNumbers(json, "std", Std);
            json.WriteEndObject();
            json.WriteNumber("threshold", Threshold);
            if (calibration is not null)
            {
                json.WritePropertyName("calibration");
                calibration(json);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static List<string> Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new InvalidDataException($"model.json: '{name}' must list strings"))]
            : throw new InvalidDataException($"model.json: '{name}' (the feature names) is required for a sensor model");

    private static List<double> Numbers(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw new InvalidDataException($"model.json: standardization.{name} must list finite numbers"))]
            : throw new InvalidDataException($"model.json: standardization.{name} is required");
}
