namespace EdgeAgent.Configuration;

/// <summary>
/// Where the configuration comes from: JSON files in order (later ones override earlier ones), then
/// <c>EDGEAGENT__SECTION__KEY</c> environment variables, then <c>--set path=value</c> overrides.
/// </summary>
public sealed record ConfigSources(IReadOnlyList<string> Files, IReadOnlyList<string> Overrides)
{
    public const string EnvironmentPrefix = "EDGEAGENT__";
    public const string ConfigFileVariable = "EDGEAGENT_CONFIG";
    public const string SystemConfigFile = "/etc/edgeagent/edgeagent.json";

    public static ConfigSources None { get; } = new([], []);

    /// <summary>
    /// With no <c>--config</c>: <c>$EDGEAGENT_CONFIG</c>, then /etc/edgeagent/edgeagent.json, then config/edgeagent.json
    /// beside the installed executable. The first that exists wins; none at all means built-in defaults.
    /// </summary>
    public static IReadOnlyList<string> DefaultSearchPath(IReadOnlyDictionary<string, string> environment) =>
        new[]
        {
            environment.GetValueOrDefault(ConfigFileVariable),
            SystemConfigFile,
            Path.Combine(AppContext.BaseDirectory, "config", "edgeagent.json"),
        }.Where(p => !string.IsNullOrEmpty(p)).Cast<string>().ToList();
}
