using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public sealed class MqttSourceOptions
{
    [Description("Absolute topic filter; + and # allowed (e.g. zigbee2mqtt/+ or tele/sensor1/SENSOR).")]
    public string Topic { get; set; } = string.Empty;

    [Description("JSON path of a timestamp in the payload (RFC 3339 or Unix seconds). Empty: the arrival time.")]
    public string TimestampField { get; set; } = string.Empty;

    [Description("Payloads larger than this are dropped and counted.")]
    [Range(64, 16 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 64 * 1024;
}
