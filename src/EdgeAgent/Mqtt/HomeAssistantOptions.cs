using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Mqtt;

public sealed class HomeAssistantOptions
{
    [Description("Publish Home Assistant MQTT discovery configs (retained) on every connect.")]
    public bool Enabled { get; set; }

    [Description("Home Assistant's discovery prefix.")]
    [RegularExpression("^[^#+/]+$", ErrorMessage = "must be one topic level without wildcards")]
    public string DiscoveryPrefix { get; set; } = "homeassistant";
}
