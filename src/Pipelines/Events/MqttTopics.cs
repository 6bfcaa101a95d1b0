using System.Text;

namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// Every MQTT topic the agent publishes or subscribes to, in one place (docs/mqtt.md and docs/ota.md document them).
/// Most are relative to the device's base topic, <c>edgeagent/&lt;deviceId&gt;</c> unless <c>mqtt.baseTopic</c> says
/// otherwise; the link prefixes it. Per-pipeline topics are built once, as UTF-8, when the pipeline is built.
/// </summary>
public static class MqttTopics
{
    /// <summary>The root of the default base topic and of the group topics.</summary>
    public const string Root = "edgeagent";

    /// <summary>Retained <c>online</c>/<c>offline</c> (the last will).</summary>
    public const string Status = "status";

    /// <summary>Periodic telemetry (QoS 0, not retained).</summary>
    public const string Telemetry = "telemetry";

    /// <summary>The device's desired model versions (retained, set by the fleet).</summary>
    public const string ModelsDesired = "models/desired";

    /// <summary>The start of every anomaly event topic, <c>events/&lt;pipeline&gt;</c>.</summary>
    public static ReadOnlySpan<byte> EventsPrefix => "events/"u8;

    /// <summary>The device's model update status (retained).</summary>
    public static ReadOnlySpan<byte> ModelsReported => "models/reported"u8;

    /// <summary>The base topic when <c>mqtt.baseTopic</c> is not set.</summary>
    public static string DefaultBase(string deviceId) => $"{Root}/{deviceId}";

    /// <summary>A device group's desired model versions (absolute: shared by every device of the group).</summary>
    public static string GroupModelsDesired(string group) => $"{Root}/groups/{group}/{ModelsDesired}";

    /// <summary>A pipeline's anomaly events.</summary>
    public static byte[] Events(string pipeline) => Encoding.UTF8.GetBytes("events/" + pipeline);

    /// <summary>The events topic's companion for a camera event's thumbnail (JSON naming the alert, with the JPEG in base64).</summary>
    public static byte[] Thumbnail(string pipeline) => Encoding.UTF8.GetBytes("events/" + pipeline + "/thumbnail");

    /// <summary>A camera's snapshot of its latest anomaly_start (the JPEG bytes, retained).</summary>
    public static byte[] Snapshot(string pipeline) => Encoding.UTF8.GetBytes("snapshots/" + pipeline);

    /// <summary>The retained alert state, <c>ON</c> or <c>OFF</c> (what Home Assistant's binary sensor reads).</summary>
    public static byte[] Alert(string pipeline) => Encoding.UTF8.GetBytes("alerts/" + pipeline);

    /// <summary>The retained alert's attributes (JSON).</summary>
    public static byte[] AlertAttributes(string pipeline) => Encoding.UTF8.GetBytes("alerts/" + pipeline + "/attributes");
}
