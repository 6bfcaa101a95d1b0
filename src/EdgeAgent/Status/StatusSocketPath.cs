using EdgeAgent.Configuration;

namespace EdgeAgent.Status;

/// <summary>
/// Where the daemon answers <c>edgeagent status</c>: <c>&lt;stateDirectory&gt;/control/status.sock</c>. Both sides read
/// the same configuration, so they agree without another setting; the directory is the owner's alone (0700).
/// </summary>
public static class StatusSocketPath
{
    /// <summary>sun_path holds 108 bytes with its terminating NUL.</summary>
    public const int MaxLength = 107;

    public static string Directory(AgentOptions options) => Path.Combine(options.StateDirectory, "control");

    public static string Of(AgentOptions options) => Path.Combine(Directory(options), "status.sock");
}
