using System.Buffers.Text;
using System.Text;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Turns one CSV or JSON line into a timestamp and a value per channel, counting everything it rejects on the
/// source's context. CSV maps columns by a header row; without one (a microcontroller printing bare numbers)
/// the columns are the channels in order. The separator is a comma, a semicolon or a tab: configured, or taken from
/// the header (the one it holds most of), since industrial exports often use ';' (with decimal commas) or tabs.
/// </summary>
public sealed class RecordParser
{
    private readonly RecordFormat _format;
    private readonly string[] _fields;
    private readonly string _timestampField;
    private readonly JsonFieldExtractor? _json;
    private readonly double[] _jsonValues;
    private readonly long[] _jsonTicks;
    private int[] _channelOfColumn = [];
    private int _timestampColumn = -1;
    private bool _positional;
    private byte _delimiter;

    /// <param name="fields">The field (column name or JSON path) of each channel.</param>
    /// <param name="timestampField">Column or path of the timestamp; empty when the caller stamps arrival time.</param>
    /// <param name="delimiter">CSV separator (',', ';' or '\t'); 0 to take it from the header line.</param>
    public RecordParser(RecordFormat format, IReadOnlyList<string> fields, string timestampField, byte delimiter = 0)
    {
        _format = format;
        _delimiter = delimiter;
        _fields = [.. fields];
        _timestampField = timestampField;
        if (format == RecordFormat.JsonLines)
        {
            _json = new JsonFieldExtractor(timestampField.Length > 0 ? [.. fields, timestampField] : fields);
            _jsonValues = new double[_json.Count];
            _jsonTicks = new long[_json.Count];
        }
        else
        {
            _jsonValues = [];
            _jsonTicks = [];
        }
    }

    public bool HasTimestamp => _timestampField.Length > 0;

    /// <summary>The CSV separator in use (0 until the header has been read, when it is detected).</summary>
    public byte Delimiter => _delimiter;

    /// <summary>The separator a header line uses: the most frequent of ',', ';' and tab (a comma when none).</summary>
    public static byte DetectDelimiter(ReadOnlySpan<byte> header)
    {
        int commas = header.Count((byte)','), semicolons = header.Count((byte)';'), tabs = header.Count((byte)'\t');
        return tabs > commas && tabs >= semicolons ? (byte)'\t' : semicolons > commas ? (byte)';' : (byte)',';
    }

    /// <summary>CSV: true until a header (or a first data line, for positional CSV) has been seen.</summary>
    public bool AwaitingHeader => _format == RecordFormat.Csv && !_positional && _channelOfColumn.Length == 0;

    /// <summary>Reads a CSV header. Returns null when it is usable, else what is wrong.</summary>
    public string? ReadHeader(ReadOnlySpan<byte> line)
    {
        if (_delimiter == 0)
        {
            _delimiter = DetectDelimiter(line);
        }

        var names = Encoding.UTF8.GetString(line).TrimStart('\uFEFF').Split((char)_delimiter).Select(n => n.Trim().Trim('"').Trim()).ToArray();
        if (!HasTimestamp && names.All(n => double.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out _) || TryParseDecimalComma(Encoding.UTF8.GetBytes(n), out _)))
        {
            _positional = true;
            return null;
        }

        var map = new int[names.Length];
        Array.Fill(map, -1);
        var missing = new List<string>();
        for (var c = 0; c < _fields.Length; c++)
        {
            var column = Array.IndexOf(names, _fields[c]);
            if (column < 0)
            {
                missing.Add(_fields[c]);
                continue;
            }

            map[column] = c;
        }

        _timestampColumn = HasTimestamp ? Array.IndexOf(names, _timestampField) : -1;
        if (HasTimestamp && _timestampColumn < 0)
        {
            missing.Add(_timestampField);
        }

        if (missing.Count > 0)
        {
            return $"the header has no column {string.Join(", ", missing.Select(m => $"'{m}'"))} (columns: {string.Join(", ", names)})";
        }

        _channelOfColumn = map;
        return null;
    }

    /// <summary>Parses one data line. <paramref name="valid"/>[c] says whether channel c has a value; rejected
    /// values are already counted. Returns false when the whole line is unusable (counted too).</summary>
    public bool TryParse(ReadOnlySpan<byte> line, SourceContext context, Span<double> values, Span<bool> valid, out long ticks)
    {
        valid.Clear();
        ticks = 0;
        return _format == RecordFormat.Csv ? TryParseCsv(line, context, values, valid, ref ticks) : TryParseJson(line, context, values, valid, ref ticks);
    }

    private bool TryParseCsv(ReadOnlySpan<byte> line, SourceContext context, Span<double> values, Span<bool> valid, ref long ticks)
    {
        var sawTimestamp = false;
        var seen = 0;
        var column = 0;
        var rest = line;
        var delimiter = _delimiter == 0 ? (byte)',' : _delimiter;
        while (true)
        {
            var comma = rest.IndexOf(delimiter);
            var field = TimestampParser.Trim(comma < 0 ? rest : rest[..comma]);
            var channel = _positional ? (column < _fields.Length ? column : -1) : column < _channelOfColumn.Length ? _channelOfColumn[column] : -1;
            if (column == _timestampColumn)
            {
                if (!TimestampParser.TryParse(field, out ticks))
                {
                    context.Reject(BadInput.BadTimestamp, "unreadable timestamp");
                    return false;
                }

                if (!context.IsPlausible(ticks))
                {
                    return false;
                }

                sawTimestamp = true;
            }
            else if (channel >= 0)
            {
                seen++;
                if (field.Length == 0)
                {
                    context.Reject(BadInput.MissingField, $"empty value for '{_fields[channel]}'");
                }
                else if ((Utf8Parser.TryParse(field, out double value, out var consumed) && consumed == field.Length) ||
                         (delimiter != ',' && TryParseDecimalComma(field, out value)))
                {
                    values[channel] = value;
                    valid[channel] = true;
                }
                else if (IsNonFiniteWord(field))
                {
                    context.Reject(BadInput.NonFinite, $"'{_fields[channel]}' is NaN or infinite");
                }
                else
                {
                    context.Reject(BadInput.NonNumeric, $"'{_fields[channel]}' is not a number");
                }
            }

            column++;
            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        if (HasTimestamp && !sawTimestamp)
        {
            context.Reject(BadInput.MalformedLine, "line too short for the timestamp column");
            return false;
        }

        var expected = _fields.Length;
        if (seen < expected)
        {
            context.Reject(BadInput.MissingField, $"line has {column} column(s), fewer than the header");
        }

        return true;
    }

    private bool TryParseJson(ReadOnlySpan<byte> line, SourceContext context, Span<double> values, Span<bool> valid, ref long ticks)
    {
        if (!_json!.TryExtract(line, _jsonValues, _jsonTicks, out var found, out var nonNumeric))
        {
            context.Reject(BadInput.MalformedLine, "not a JSON object");
            return false;
        }

        if (HasTimestamp)
        {
            var t = _fields.Length;
            var bit = 1UL << t;
            if ((found & bit) == 0)
            {
                context.Reject((nonNumeric & bit) != 0 ? BadInput.BadTimestamp : BadInput.MissingField, $"no usable '{_timestampField}'");
                return false;
            }

            ticks = _jsonTicks[t] != 0 ? _jsonTicks[t] : TimestampParser.FromUnixSeconds(_jsonValues[t]);
            if (ticks <= 0)
            {
                context.Reject(BadInput.BadTimestamp, $"'{_timestampField}' is out of range");
                return false;
            }

            if (!context.IsPlausible(ticks))
            {
                return false;
            }
        }

        for (var c = 0; c < _fields.Length; c++)
        {
            var bit = 1UL << c;
            if ((found & bit) != 0 && _jsonTicks[c] == 0)
            {
                values[c] = _jsonValues[c];
                valid[c] = true;
            }
            else
            {
                context.Reject((nonNumeric & bit) != 0 || (found & bit) != 0 ? BadInput.NonNumeric : BadInput.MissingField, $"no number at '{_fields[c]}'");
            }
        }

        return true;
    }

    /// <summary>"12,5" as 12.5: the decimal comma of ';'- and tab-separated exports (only there: with ',' as the
    /// separator a comma cannot be inside a number). One comma at most, no allocation.</summary>
    private static bool TryParseDecimalComma(ReadOnlySpan<byte> field, out double value)
    {
        value = 0;
        var comma = field.IndexOf((byte)',');
        if (comma < 0 || field.Length > 64 || field[(comma + 1)..].Contains((byte)',') || field.Contains((byte)'.'))
        {
            return false;
        }

        Span<byte> copy = stackalloc byte[field.Length];
        field.CopyTo(copy);
        copy[comma] = (byte)'.';
        return Utf8Parser.TryParse(copy, out value, out var consumed) && consumed == copy.Length;
    }

    private static bool IsNonFiniteWord(ReadOnlySpan<byte> field) =>
        field.SequenceEqual("NaN"u8) || field.SequenceEqual("nan"u8) || field.EndsWith("Infinity"u8) || field.EndsWith("inf"u8) || field.EndsWith("Inf"u8);
}
