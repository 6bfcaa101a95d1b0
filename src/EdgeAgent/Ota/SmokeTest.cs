using System.Text.Json;
using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Ota;

/// <summary>
/// A candidate's first runs, before it goes anywhere near the live loop: the golden input/output in model.json
/// when present (<c>"golden": {"input": [...], "output": [...], "tolerance": 1e-3}</c>, model-input values),
/// otherwise the features of the pipeline's latest window must give finite outputs. Also warms the session up.
/// </summary>
internal static class SmokeTest
{
    private const int WarmUpRuns = 3;

    /// <returns>Null when it passes; otherwise what went wrong, in plain words.</returns>
    public static string? Run(IWindowModel candidate, IWindowModel active, string manifestPath)
    {
        try
        {
            var golden = ReadGolden(manifestPath, out var expected, out var tolerance);
            if (golden is not null)
            {
                if (golden.Length != candidate.Input.Length || expected!.Length != candidate.Output.Length)
                {
                    return $"model.json golden input/output have {golden.Length}/{expected!.Length} values, the model takes {candidate.Input.Length} and yields {candidate.Output.Length}";
                }

                golden.CopyTo(candidate.Input);
                candidate.Run();
                for (var i = 0; i < expected.Length; i++)
                {
                    if (!(Math.Abs(candidate.Output[i] - expected[i]) <= tolerance))
                    {
                        return $"golden output {i} is {candidate.Output[i]}, expected {expected[i]} ± {tolerance}";
                    }
                }
            }
            else
            {
                // The latest window's features, as the active model last saw them (zeros before any window).
                active.Input.CopyTo(candidate.Input);
            }

            for (var run = 0; run < WarmUpRuns; run++)
            {
                candidate.Run();
                foreach (var value in candidate.Output)
                {
                    if (!float.IsFinite(value))
                    {
                        return "the smoke test gave NaN or infinite outputs on the latest window's features";
                    }
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the smoke test failed: {ex.Message}";
        }
    }

    internal static float[]? ReadGolden(string manifestPath, out float[]? expected, out double tolerance)
    {
        expected = null;
        tolerance = 1e-3;
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        if (!document.RootElement.TryGetProperty("golden", out var golden) || golden.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (golden.TryGetProperty("tolerance", out var t) && t.TryGetDouble(out var value))
        {
            tolerance = value;
        }

        expected = Floats(golden, "output");
        return Floats(golden, "input");
    }

    private static float[] Floats(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(v => v.GetSingle())]
            : throw new InvalidDataException($"model.json: golden.{name} must be an array of numbers");
}
