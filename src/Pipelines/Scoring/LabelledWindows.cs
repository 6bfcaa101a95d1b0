using System.Text;
using System.Text.Json;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Pipelines.Scoring;

/// <summary>NAB-style labels: a JSON object mapping a file name to its anomaly windows <c>[[start, end], ...]</c>.</summary>
public static class LabelledWindows
{
    /// <summary>Reads a labels file; a missing, unreadable or malformed one is an <see cref="InvalidDataException"/> that names it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long Start, long End)>> Load(string path)
    {
        try
        {
            return Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException or InvalidDataException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"labels '{path}': {ex.Message} (expected a JSON object of file name -> [[start, end], ...] timestamps, as NAB's combined_windows.json)", ex);
        }
    }

    private static Dictionary<string, IReadOnlyList<(long Start, long End)>> Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var result = new Dictionary<string, IReadOnlyList<(long, long)>>(StringComparer.Ordinal);
        foreach (var file in document.RootElement.EnumerateObject())
        {
            var windows = new List<(long, long)>();
            foreach (var pair in file.Value.EnumerateArray())
            {
                windows.Add((Parse(pair[0].GetString()), Parse(pair[1].GetString())));
            }

            result[file.Name] = windows;
        }

        return result;
    }

    private static long Parse(string? text) =>
        TimestampParser.TryParse(Encoding.UTF8.GetBytes(text ?? string.Empty), out var ticks)
            ? ticks
            : throw new InvalidDataException($"unreadable label timestamp '{text}'");
}
