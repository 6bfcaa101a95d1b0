using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Mqtt;

public sealed class MqttOptions : IValidatedOptions
{
    [Description("Connect to a broker at all; without it results stay in the outbox.")]
    public bool Enabled { get; set; } = true;

    [Description("Broker host name or address.")]
    public string Host { get; set; } = "localhost";

    [Description("Broker TCP port.")]
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    [Description("MQTT client id. Default: the device id.")]
    [RegularExpression("^$|^[A-Za-z0-9._:-]{1,128}$", ErrorMessage = "must be 1..128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'")]
    public string ClientId { get; set; } = string.Empty;

    [Description("Seconds between keepalive pings; a link silent for 1.5 times this is declared dead and reconnected.")]
    [Range(5, 3600)]
    public int KeepAliveSeconds { get; set; } = 30;

    [Description("MQTT protocol version: \"3.1.1\" or \"5\". With 5 every outbox message carries its id as the user property 'id'.")]
    [RegularExpression(@"^(3\.1\.1|5)$", ErrorMessage = "must be \"3.1.1\" or \"5\"")]
    public string ProtocolVersion { get; set; } = "5";

    [Description("User name for the broker; empty for anonymous.")]
    public string Username { get; set; } = string.Empty;

    [Description("File whose first line is the broker password (keep it mode 0600). Alternatively set the environment variable EDGEAGENT__MQTT__PASSWORD.")]
    public string PasswordFile { get; set; } = string.Empty;

    [Description("The broker password itself; prefer passwordFile, or pass it as EDGEAGENT__MQTT__PASSWORD. Never printed.")]
    [Secret]
    public string Password { get; set; } = string.Empty;

    [Description("Topic prefix of everything the agent publishes. Default: edgeagent/<deviceId>.")]
    [RegularExpression("^$|^[^#+\\u0000]+[^/#+\\u0000]$", ErrorMessage = "must be a topic without wildcards (+, #) and without a trailing '/'")]
    public string BaseTopic { get; set; } = string.Empty;

    [Description("TLS to the broker (server certificate and name are always verified).")]
    public MqttTlsOptions Tls { get; set; } = new();

    [Description("Reconnect backoff: exponential with jitter between these bounds.")]
    public MqttReconnectOptions Reconnect { get; set; } = new();

    [Description("Home Assistant MQTT discovery of the device's availability and per-pipeline sensors.")]
    public HomeAssistantOptions HomeAssistant { get; set; } = new();

    /// <summary>The base topic after defaults: <c>edgeagent/&lt;deviceId&gt;</c> unless configured.</summary>
    public string EffectiveBaseTopic(string deviceId) => string.IsNullOrEmpty(BaseTopic) ? MqttTopics.DefaultBase(deviceId) : BaseTopic;

    public string EffectiveClientId(string deviceId) => string.IsNullOrEmpty(ClientId) ? deviceId : ClientId;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (!Enabled)
        {
            return;
        }

        if (!string.IsNullOrEmpty(PasswordFile) && !string.IsNullOrEmpty(Password))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "passwordFile"), "give the password either in passwordFile or in password (EDGEAGENT__MQTT__PASSWORD), not both"));
        }

        if (!string.IsNullOrEmpty(PasswordFile) && !File.Exists(PasswordFile))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "passwordFile"), $"'{PasswordFile}' does not exist; create it or fix the path"));
        }

        if ((!string.IsNullOrEmpty(PasswordFile) || !string.IsNullOrEmpty(Password)) && string.IsNullOrEmpty(Username))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "username"), "a password is set but no username; MQTT sends a password only with a username"));
        }
    }
}
