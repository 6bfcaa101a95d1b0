using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Cli;

/// <summary>
/// Process exit codes, following sysexits.h so systemd units and scripts can tell a user mistake
/// (which restarting will not fix) from a crash (which it may).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected failure at run time; systemd restarts the agent.</summary>
    public const int Failure = 1;

    /// <summary>Bad command-line usage (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>An input file (model, replay data, bundle) is missing or malformed (EX_DATAERR).</summary>
    public const int DataError = 65;

    /// <summary>A required native library or program is missing (EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>A directory the agent must write (state, logs) cannot be created or written (EX_CANTCREAT).</summary>
    public const int CantCreate = 73;

    /// <summary>The configuration is invalid (EX_CONFIG); the unit's RestartPreventExitStatus stops restart loops.</summary>
    public const int Config = 78;

    /// <summary>The one place a start-up failure's type becomes an exit code.</summary>
    public static int Of(StartupException failure) => failure switch
    {
        AgentStartupException host => host.ExitCode,
        ModelUnusableException or InvalidInputFileException => DataError,
        RuntimeUnavailableException => Unavailable,
        ConfigurationException => Config,
        _ => Failure,
    };
}
