using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public enum RecordFormat
{
    Csv,
    JsonLines,
}

public sealed class ReplaySourceOptions
{
    [Description("The recorded file (CSV with a header row, or one JSON object per line).")]
    public string Path { get; set; } = string.Empty;

    [Description("csv or jsonLines. Default: from the file extension (.jsonl/.ndjson are JSON Lines).")]
    public RecordFormat? Format { get; set; }

    [Description("Column or JSON path of the timestamp: 'YYYY-MM-DD HH:MM:SS[.ffffff]', RFC 3339, or Unix seconds. Times without an offset are UTC.")]
    public string TimestampField { get; set; } = "timestamp";

    [Description("CSV separator: ',', ';' or 'tab'. Empty: taken from the header line (the most frequent of the three). With ';' or tab, decimal commas (12,5) are read too.")]
    [RegularExpression("^(|,|;|tab|\t)$", ErrorMessage = "must be ',', ';', 'tab' or empty (detect from the header)")]
    public string Delimiter { get; set; } = string.Empty;

    [Description("Playback speed: 1 as recorded, 10 ten times faster, 0 as fast as possible.")]
    [Range(0, 1e9)]
    public double Speed { get; set; } = 1;

    [Description("Start again at the end (timestamps continue to increase).")]
    public bool Loop { get; set; }

    /// <summary>The separator as the parser takes it; 0 to detect it from the header.</summary>
    public byte DelimiterByte() => Delimiter switch
    {
        "," => (byte)',',
        ";" => (byte)';',
        "tab" or "\t" => (byte)'\t',
        _ => 0,
    };
}
