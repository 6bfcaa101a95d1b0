using System.CommandLine;
using EdgeAgent.Configuration;

namespace EdgeAgent.Cli;

/// <summary>The options every verb that reads the configuration shares: <c>--config</c> and <c>--set</c>.</summary>
public sealed class ConfigArguments
{
    public Option<string[]> Config { get; } = new("--config", "-c")
    {
        Description = "Configuration file (JSON). Repeatable; later files override earlier ones. " +
                      "Default: $EDGEAGENT_CONFIG, /etc/edgeagent/edgeagent.json, then config/edgeagent.json of the install.",
        HelpName = "PATH",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Set { get; } = new("--set")
    {
        Description = "Override one setting, e.g. --set mqtt.port=1884 or --set pipelines[0].enabled=false. Repeatable; wins over files and environment.",
        HelpName = "PATH=VALUE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Set);
    }

    public ConfigSources Read(ParseResult result) =>
        new(result.GetValue(Config) ?? [], result.GetValue(Set) ?? []);

    /// <summary>Loads the configuration, or prints every problem to stderr and returns null (the caller exits 78).</summary>
    public LoadedConfig? LoadOrReport(ParseResult result, IReadOnlyDictionary<string, string> environment)
    {
        try
        {
            return ConfigLoader.Load(Read(result), environment);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"edgeagent: {ex.Message}");
            return null;
        }
    }
}
