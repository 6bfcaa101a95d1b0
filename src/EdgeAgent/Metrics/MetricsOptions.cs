using System.ComponentModel;
using System.Globalization;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Metrics;

public sealed class MetricsOptions : IValidatedOptions
{
    [Description("Serve the agent's counters in the Prometheus text exposition format at http://<listen>/metrics. Off by default.")]
    public bool Enabled { get; set; }

    [Description("host:port the metrics endpoint listens on. Loopback by default: the counters name pipelines and devices, so exposing them beyond the device (e.g. 0.0.0.0:9464) is a deliberate choice.")]
    public string Listen { get; set; } = "127.0.0.1:9464";

    /// <summary>The host part; an IPv6 address is written in brackets ("[::1]:9464").</summary>
    public string Host => Split(Listen) is { } split ? split.Host : string.Empty;

    public int Port => Split(Listen) is { } split ? split.Port : 0;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Split(Listen) is null)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "listen"), $"must be host:port with a port 1..65535 (e.g. 127.0.0.1:9464), got '{Listen}'"));
        }
    }

    private static (string Host, int Port)? Split(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = listen[..colon].Trim('[', ']');
        return host.Length == 0 ? null : (host, port);
    }
}
