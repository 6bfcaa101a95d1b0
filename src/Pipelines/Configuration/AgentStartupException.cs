namespace EdgeAgent.Configuration;

/// <summary>
/// A start-up failure the user can fix (missing library, unreadable model, unwritable directory). The CLI prints
/// the message without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class AgentStartupException : Exception
{
    public AgentStartupException(string message, int exitCode, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
