using EdgeAgent.Configuration;
using Serilog;
using Serilog.Events;

namespace EdgeAgent.Logging;

/// <summary>Builds the Serilog pipeline behind Microsoft.Extensions.Logging from the <c>logging</c> section.</summary>
public static class LoggingSetup
{
    public const string FileName = "edgeagent-.log";

    public static Serilog.Core.Logger Create(AgentOptions options, IReadOnlyDictionary<string, string> environment)
    {
        var logging = options.Logging;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ToSerilog(logging.Level))
            .Enrich.FromLogContext();
        foreach (var (category, level) in logging.Overrides)
        {
            configuration.MinimumLevel.Override(category, ToSerilog(level));
        }

        switch (ResolveConsole(logging.Console, environment))
        {
            case ConsoleLogFormat.Journal:
                configuration.WriteTo.Console(new JournalFormatter(), standardErrorFromLevel: LogEventLevel.Verbose);
                break;
            case ConsoleLogFormat.Plain:
                configuration.WriteTo.Console(
                    outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose,
                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        if (logging.File.Enabled)
        {
            configuration.WriteTo.File(
                Path.Combine(options.LogDirectory, FileName),
                restrictedToMinimumLevel: ToSerilog(logging.File.Level),
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture,
                fileSizeLimitBytes: logging.File.MaxFileMegabytes * 1024L * 1024L,
                rollOnFileSizeLimit: true,
                rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: logging.File.RetainedFiles,
                buffered: true,
                flushToDiskInterval: TimeSpan.FromSeconds(logging.File.FlushIntervalSeconds));
        }

        return configuration.CreateLogger();
    }

    /// <summary>
    /// Flushes and closes the log. A log file that cannot be written (disk full) loses its last lines, never the
    /// process's exit status: Serilog throws the file's IOException from Dispose (it swallows it while running).
    /// </summary>
    public static void DisposeQuietly(Serilog.Core.Logger logger)
    {
        try
        {
            logger.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            Console.Error.WriteLine($"edgeagent: the log file could not be flushed: {e.Message}");
        }
    }

    public static ConsoleLogFormat ResolveConsole(ConsoleLogFormat format, IReadOnlyDictionary<string, string> environment) =>
        format != ConsoleLogFormat.Auto
            ? format
            : string.IsNullOrEmpty(environment.GetValueOrDefault("JOURNAL_STREAM")) ? ConsoleLogFormat.Plain : ConsoleLogFormat.Journal;

    public static LogEventLevel ToSerilog(LogLevelName level) => level switch
    {
        LogLevelName.Trace => LogEventLevel.Verbose,
        LogLevelName.Debug => LogEventLevel.Debug,
        LogLevelName.Information => LogEventLevel.Information,
        LogLevelName.Warning => LogEventLevel.Warning,
        LogLevelName.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
