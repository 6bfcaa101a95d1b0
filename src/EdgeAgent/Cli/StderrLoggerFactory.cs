using Microsoft.Extensions.Logging;

namespace EdgeAgent.Cli;

/// <summary>Hands <see cref="StderrLogger"/> to the pipeline code an offline verb runs, so rejected input is said, not dropped silently.</summary>
internal sealed class StderrLoggerFactory : ILoggerFactory
{
    public static StderrLoggerFactory Instance { get; } = new();

    public ILogger CreateLogger(string categoryName) => StderrLogger.Instance;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
