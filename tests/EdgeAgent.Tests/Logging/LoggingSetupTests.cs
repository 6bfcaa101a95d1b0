using EdgeAgent.Configuration;
using EdgeAgent.Logging;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Serilog.Events;
using Serilog.Parsing;
using Xunit;

namespace EdgeAgent.Tests.Logging;

public sealed class LoggingSetupTests
{
    [Theory]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Debug, "<7>")]
    public void Journal_lines_carry_the_syslog_priority(LogEventLevel level, string prefix)
    {
        var message = new MessageTemplateParser().Parse("camera {Name} down\nretrying");
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, level, null, message,
            [new LogEventProperty("Name", new ScalarValue("door")), new LogEventProperty("SourceContext", new ScalarValue("EdgeAgent.Camera.Capture"))]);
        using var writer = new StringWriter();
        new JournalFormatter().Format(logEvent, writer);
        writer.ToString().Should().Be($"{prefix}Capture: camera \"door\" down retrying\n");
    }

    [Fact]
    public void Auto_console_picks_journal_only_under_journald()
    {
        LoggingSetup.ResolveConsole(ConsoleLogFormat.Auto, new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:99" }).Should().Be(ConsoleLogFormat.Journal);
        LoggingSetup.ResolveConsole(ConsoleLogFormat.Auto, new Dictionary<string, string>()).Should().Be(ConsoleLogFormat.Plain);
        LoggingSetup.ResolveConsole(ConsoleLogFormat.None, new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:99" }).Should().Be(ConsoleLogFormat.None);
    }

    [Fact]
    public void File_log_rolls_at_its_size_cap_and_keeps_only_the_retained_count()
    {
        using var dir = new TempDirectory();
        var options = new AgentOptions { StateDirectory = dir.Path, LogDirectory = dir.Combine("logs") };
        options.Logging.Console = ConsoleLogFormat.None;
        options.Logging.File.MaxFileMegabytes = 1;
        options.Logging.File.RetainedFiles = 2;
        using (var logger = LoggingSetup.Create(options, new Dictionary<string, string>()))
        {
            var line = new string('x', 1000);
            for (var i = 0; i < 4000; i++)
            {
                logger.Information("{Line}", line);
            }
        }

        var files = Directory.GetFiles(dir.Combine("logs"));
        files.Should().HaveCount(2, "older files beyond retainedFiles are deleted");
        files.Should().OnlyContain(f => new FileInfo(f).Length <= 1024 * 1024 + 2048);
    }
}
