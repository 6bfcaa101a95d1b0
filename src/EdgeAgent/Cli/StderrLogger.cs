using Microsoft.Extensions.Logging;

namespace EdgeAgent.Cli;

/// <summary>For one-shot verbs: warnings and errors go to stderr as <c>edgeagent: warning: ...</c>; the rest is dropped.</summary>
internal sealed class StderrLogger : ILogger
{
    public static StderrLogger Instance { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"edgeagent: {(logLevel == LogLevel.Warning ? "warning" : "error")}: {formatter(state, exception)}");
        }
    }
}
