using System.Buffers;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Mqtt;

/// <summary>
/// Home Assistant MQTT discovery (off by default): a connectivity binary_sensor fed by <c>&lt;base&gt;/status</c>, and per
/// configured pipeline an anomaly binary_sensor fed by the retained <c>alerts/&lt;pipeline&gt;</c> state and a score sensor
/// fed by its events. Retained, re-sent on every connect.
/// </summary>
public sealed class HomeAssistantDiscovery
{
    private readonly AgentOptions _options;
    private readonly string _baseTopic;

    public HomeAssistantDiscovery(AgentOptions options)
    {
        _options = options;
        _baseTopic = options.Mqtt.EffectiveBaseTopic(options.DeviceId);
    }

    /// <summary>The discovery messages as (topic, JSON payload); empty when disabled.</summary>
    public IReadOnlyList<(string Topic, byte[] Payload)> Messages()
    {
        var ha = _options.Mqtt.HomeAssistant;
        if (!ha.Enabled)
        {
            return [];
        }

        var device = _options.DeviceId;
        var node = "edgeagent_" + device.Replace('.', '_');
        var messages = new List<(string, byte[])>
        {
            ($"{ha.DiscoveryPrefix}/binary_sensor/{node}/status/config", Json(w =>
            {
                w.WriteString("name", "Online");
                w.WriteString("unique_id", $"{node}_status");
                w.WriteString("device_class", "connectivity");
                w.WriteString("state_topic", $"{_baseTopic}/status");
                w.WriteString("payload_on", "online");
                w.WriteString("payload_off", "offline");
                w.WriteString("entity_category", "diagnostic");
                WriteDevice(w, node, device);
            })),
        };

        foreach (var pipeline in _options.Pipelines)
        {
            var name = pipeline.Name;
            var events = $"{_baseTopic}/events/{name}";
            var alerts = $"{_baseTopic}/alerts/{name}";
            messages.Add(($"{ha.DiscoveryPrefix}/binary_sensor/{node}/{name}_anomaly/config", Json(w =>
            {
                // The retained alert state, not the events topic: score and update events must not flip the sensor,
                // and a restarted Home Assistant must see the current state.
                w.WriteString("name", $"{name} anomaly");
                w.WriteString("unique_id", $"{node}_{name}_anomaly");
                w.WriteString("device_class", "problem");
                w.WriteString("state_topic", alerts);
                w.WriteString("payload_on", "ON");
                w.WriteString("payload_off", "OFF");
                w.WriteString("json_attributes_topic", $"{alerts}/attributes");
                WriteAvailability(w);
                WriteDevice(w, node, device);
            })));
            messages.Add(($"{ha.DiscoveryPrefix}/sensor/{node}/{name}_score/config", Json(w =>
            {
                w.WriteString("name", $"{name} score");
                w.WriteString("unique_id", $"{node}_{name}_score");
                w.WriteString("state_topic", events);
                // anomaly_end carries the alert's peak instead of a window's score.
                w.WriteString("value_template", "{{ value_json.score if value_json.score is defined else value_json.peakScore }}");
                w.WriteString("state_class", "measurement");
                WriteAvailability(w);
                WriteDevice(w, node, device);
            })));
        }

        return messages;
    }

    internal async Task PublishAsync(MqttSession session)
    {
        foreach (var (topic, payload) in Messages())
        {
            await session.PublishAndConfirmAsync(topic, payload, retain: true, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }

    private void WriteAvailability(Utf8JsonWriter w)
    {
        w.WriteString("availability_topic", $"{_baseTopic}/{MqttTopics.Status}");
        w.WriteString("payload_available", "online");
        w.WriteString("payload_not_available", "offline");
    }

    private static void WriteDevice(Utf8JsonWriter w, string node, string device)
    {
        w.WriteStartObject("device");
        w.WriteStartArray("identifiers");
        w.WriteStringValue(node);
        w.WriteEndArray();
        w.WriteString("name", $"EdgeAgent {device}");
        w.WriteString("manufacturer", "EdgeAgent");
        w.WriteString("sw_version", typeof(HomeAssistantDiscovery).Assembly.GetName().Version?.ToString(3) ?? "0");
        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
