using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Mqtt;

public sealed class MqttOptions
{
    [Description("Connect to a broker at all; without it results stay in the outbox.")]
    public bool Enabled { get; set; } = true;

    [Description("Broker host name or address.")]
    public string Host { get; set; } = "localhost";

    [Description("Broker TCP port.")]
    [Range(1, 65535)]
    public int Port { get; set; } = 1883;
}
