using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>
/// A start-up failure of the host itself (an unwritable directory, a missing broker library...) with the process
/// exit code the CLI returns for it. Library failures are typed instead (<see cref="StartupException"/>'s other
/// kinds); <c>ExitCodes.Of</c> maps every kind.
/// </summary>
public sealed class AgentStartupException(string message, int exitCode, Exception? inner = null) : StartupException(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
