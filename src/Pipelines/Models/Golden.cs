using System.Text.Json;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// The golden input/output a model.json may carry for the smoke test (<c>"golden": {"input": [...], "output": [...],
/// "tolerance": 1e-3}</c>, model-input values: features for a sensor model, the whole image tensor for a camera's).
/// </summary>
public sealed record Golden(float[] Input, float[] Output, double Tolerance)
{
    /// <summary>Null when there is no model.json or it has no golden object.</summary>
    /// <exception cref="InvalidDataException">golden.input or golden.output is not an array of numbers.</exception>
    public static Golden? Read(string manifestPath)
    {
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        if (!document.RootElement.TryGetProperty("golden", out var golden) || golden.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var tolerance = golden.TryGetProperty("tolerance", out var t) && t.TryGetDouble(out var value) ? value : 1e-3;
        var output = Floats(golden, "output");
        return new Golden(Floats(golden, "input"), output, tolerance);
    }

    private static float[] Floats(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(v => v.GetSingle())]
            : throw new InvalidDataException($"model.json: golden.{name} must be an array of numbers");
}
