using Serilog.Events;
using Serilog.Formatting;

namespace EdgeAgent.Logging;

/// <summary>
/// One line per event with the syslog priority prefix journald understands on a service's stdout/stderr
/// (<c>&lt;3&gt;</c> error … <c>&lt;7&gt;</c> debug), so <c>journalctl -p warning</c> works. journald adds the timestamp.
/// </summary>
public sealed class JournalFormatter : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        output.Write('<');
        output.Write(Priority(logEvent.Level));
        output.Write('>');
        if (logEvent.Properties.TryGetValue("SourceContext", out var context) && context is ScalarValue { Value: string category })
        {
            output.Write(ShortCategory(category));
            output.Write(": ");
        }

        // Newlines inside a message would split it into several journal entries with no priority.
        output.Write(logEvent.RenderMessage().ReplaceLineEndings(" "));
        if (logEvent.Exception is { } exception)
        {
            output.Write(" (");
            output.Write(exception.GetType().Name);
            output.Write(": ");
            output.Write(exception.Message.ReplaceLineEndings(" "));
            output.Write(')');
        }

        output.Write('\n');
    }

    internal static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 6,
        _ => 7,
    };

    private static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }
}
