using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Finds numeric fields in a JSON document by simple paths (<c>temperature</c>, <c>sensors.0.value</c>,
/// <c>ENERGY.Power</c>) in one forward pass of <see cref="Utf8JsonReader"/>, without allocating: each nesting level
/// keeps a bit mask of the paths that still match, and subtrees no path enters are skipped.
/// </summary>
public sealed class JsonFieldExtractor
{
    private const int MaxDepth = 64;
    private readonly Segment[][] _paths;
    private readonly ulong[] _containerMask = new ulong[MaxDepth];
    private readonly int[] _arrayIndex = new int[MaxDepth];
    private readonly ulong[] _propertyMask = new ulong[MaxDepth];

    /// <param name="paths">Dotted paths; numeric segments index arrays. At most 64.</param>
    public JsonFieldExtractor(IReadOnlyList<string> paths)
    {
        if (paths.Count > 64)
        {
            throw new ArgumentException("at most 64 fields per source", nameof(paths));
        }

        _paths = [.. paths.Select(Compile)];
    }

    public int Count => _paths.Length;

    /// <summary>Reads <paramref name="json"/>. For each path: <c>values[i]</c> and bit i of <paramref name="found"/>
    /// when it held a number (or a numeric string), bit i of <paramref name="nonNumeric"/> when it held anything else.
    /// Timestamps: a path whose value is a date string is parsed with <see cref="TimestampParser"/> into <paramref name="ticks"/>[i].</summary>
    /// <returns>False when the document is not valid JSON.</returns>
    public bool TryExtract(ReadOnlySpan<byte> json, Span<double> values, Span<long> ticks, out ulong found, out ulong nonNumeric)
    {
        found = 0;
        nonNumeric = 0;
        var all = _paths.Length == 64 ? ulong.MaxValue : (1UL << _paths.Length) - 1;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = MaxDepth - 1 });
        var depth = -1;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        _propertyMask[depth] = Match(_containerMask[depth], depth, ref reader);
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        depth--;
                        continue;
                    case JsonTokenType.Comment:
                        continue;
                }

                // A value (scalar or container start): which paths point exactly here?
                var mask = depth < 0 ? all : ElementMask(depth);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    var inner = Deeper(mask, depth + 1);
                    if (inner == 0 && depth >= 0)
                    {
                        reader.Skip();
                        continue;
                    }

                    depth++;
                    _containerMask[depth] = inner;
                    _arrayIndex[depth] = reader.TokenType == JsonTokenType.StartArray ? 0 : -1;
                    continue;
                }

                var exact = Exact(mask, depth + 1);
                for (var i = 0; exact != 0; i++, exact >>= 1)
                {
                    if ((exact & 1) != 0)
                    {
                        Read(ref reader, i, values, ticks, ref found, ref nonNumeric);
                    }
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return depth == -1;
    }

    private static void Read(ref Utf8JsonReader reader, int i, Span<double> values, Span<long> ticks, ref ulong found, ref ulong nonNumeric)
    {
        var bit = 1UL << i;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var number))
        {
            values[i] = number;
            ticks[i] = 0;
            found |= bit;
            return;
        }

        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
        {
            var text = reader.HasValueSequence ? default : reader.ValueSpan;
            if (Utf8Parser.TryParse(text, out double parsed, out var consumed) && consumed == text.Length)
            {
                values[i] = parsed;
                ticks[i] = 0;
                found |= bit;
                return;
            }

            if (TimestampParser.TryParse(text, out var t))
            {
                values[i] = double.NaN;
                ticks[i] = t;
                found |= bit;
                return;
            }
        }

        nonNumeric |= bit;
    }

    private ulong ElementMask(int depth)
    {
        if (_paths.Length == 0)
        {
            return 0;
        }

        // In an object the property name decided; in an array the element index does.
        if (_arrayIndex[depth] < 0)
        {
            return _propertyMask[depth];
        }

        var index = _arrayIndex[depth]++;
        var mask = _containerMask[depth];
        ulong result = 0;
        for (var i = 0; mask != 0; i++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _paths[i][depth].Index == index)
            {
                result |= 1UL << i;
            }
        }

        return result;
    }

    private ulong Match(ulong mask, int depth, ref Utf8JsonReader reader)
    {
        ulong result = 0;
        for (var i = 0; mask != 0; i++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _paths[i][depth].Name is { } name && reader.ValueTextEquals(name))
            {
                result |= 1UL << i;
            }
        }

        return result;
    }

    /// <summary>Paths in <paramref name="mask"/> that go deeper than <paramref name="length"/> segments.</summary>
    private ulong Deeper(ulong mask, int length)
    {
        ulong result = 0;
        for (var i = 0; mask != 0; i++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _paths[i].Length > length)
            {
                result |= 1UL << i;
            }
        }

        return result;
    }

    private ulong Exact(ulong mask, int length)
    {
        ulong result = 0;
        for (var i = 0; mask != 0; i++, mask >>= 1)
        {
            if ((mask & 1) != 0 && _paths[i].Length == length)
            {
                result |= 1UL << i;
            }
        }

        return result;
    }

    private static Segment[] Compile(string path) =>
    [
        .. path.Split('.').Select(part => int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? new Segment(null, index)
            : new Segment(Encoding.UTF8.GetBytes(part), -1)),
    ];

    private readonly record struct Segment(byte[]? Name, int Index);
}
