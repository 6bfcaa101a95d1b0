using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Mqtt;

public sealed class MqttReconnectOptions : IValidatedOptions
{
    [Description("First delay before reconnecting, in milliseconds; doubles after each failure.")]
    [Range(100, 600_000)]
    public int MinDelayMilliseconds { get; set; } = 1000;

    [Description("Longest delay between reconnect attempts, in seconds.")]
    [Range(1, 3600)]
    public int MaxDelaySeconds { get; set; } = 60;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (MinDelayMilliseconds > MaxDelaySeconds * 1000)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "minDelayMilliseconds"), $"must not exceed maxDelaySeconds ({MaxDelaySeconds}s)"));
        }
    }
}
