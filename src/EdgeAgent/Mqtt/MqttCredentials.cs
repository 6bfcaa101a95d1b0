using EdgeAgent.Configuration;

namespace EdgeAgent.Mqtt;

/// <summary>The broker password: from <c>mqtt.passwordFile</c>, or <c>mqtt.password</c> (usually EDGEAGENT__MQTT__PASSWORD).</summary>
internal static class MqttCredentials
{
    public static string? Password(MqttOptions options)
    {
        if (!string.IsNullOrEmpty(options.Password))
        {
            return options.Password;
        }

        if (string.IsNullOrEmpty(options.PasswordFile))
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(options.PasswordFile);
            return (reader.ReadLine() ?? string.Empty).TrimEnd('\r');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentStartupException(
                $"mqtt.passwordFile '{options.PasswordFile}' cannot be read: {ex.Message}. Fix: make it readable by the agent's user (mode 0600, owned by it)", 78, ex);
        }
    }
}
