using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Logging;

public enum LogLevelName
{
    Trace,
    Debug,
    Information,
    Warning,
    Error,
    Critical,
}

public enum ConsoleLogFormat
{
    /// <summary>journald priority prefixes when <c>$JOURNAL_STREAM</c> is set, readable text otherwise.</summary>
    Auto,
    Journal,
    Plain,
    None,
}

public sealed class LoggingOptions
{
    [Description("Minimum level for everything not overridden.")]
    public LogLevelName Level { get; set; } = LogLevelName.Information;

    [Description("Per-category minimum levels, e.g. {\"EdgeAgent.Mqtt\": \"debug\"}.")]
    public Dictionary<string, LogLevelName> Overrides { get; set; } = [];

    [Description("Console output: auto, journal, plain or none.")]
    public ConsoleLogFormat Console { get; set; } = ConsoleLogFormat.Auto;

    [Description("The rolling log file in logDirectory.")]
    public FileLogOptions File { get; set; } = new();
}

/// <summary>SD cards wear out: the file log is capped in size and count, and written in batches.</summary>
public sealed class FileLogOptions
{
    [Description("Write the rolling log file.")]
    public bool Enabled { get; set; } = true;

    [Description("Size at which the file rolls over to a new one.")]
    [Range(1, 1024)]
    public int MaxFileMegabytes { get; set; } = 10;

    [Description("How many rolled files are kept; older ones are deleted.")]
    [Range(1, 100)]
    public int RetainedFiles { get; set; } = 5;

    [Description("How often buffered log lines are flushed to disk.")]
    [Range(1, 3600)]
    public int FlushIntervalSeconds { get; set; } = 5;

    [Description("Minimum level written to the file.")]
    public LogLevelName Level { get; set; } = LogLevelName.Information;
}
