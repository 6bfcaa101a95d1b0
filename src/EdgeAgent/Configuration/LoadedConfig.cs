using Microsoft.Extensions.Configuration;

namespace EdgeAgent.Configuration;

/// <summary>A configuration that passed every check, with the files it came from.</summary>
public sealed record LoadedConfig(AgentOptions Options, IConfigurationRoot Root, IReadOnlyList<string> Files);
