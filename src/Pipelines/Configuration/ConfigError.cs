namespace EdgeAgent.Pipelines.Configuration;

/// <summary>One problem in the configuration, located by its JSON path (e.g. <c>mqtt.port</c>).</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
