namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// Called for each inbound message on libmosquitto's thread hand-off (never on the native thread itself).
/// The payload span is valid only during the call; copy what must outlive it.
/// </summary>
public delegate void MessageHandler(string topic, ReadOnlySpan<byte> payload);

/// <summary>
/// Inbound MQTT for later features (MQTT sensor sources, OTA desired state). Subscriptions survive reconnects:
/// the link re-subscribes after every connect. Payloads over <c>maxPayloadBytes</c> are dropped, counted and logged.
/// </summary>
public interface IMessageSubscriptions
{
    /// <param name="topicFilter">An absolute MQTT topic filter; wildcards + and # allowed.</param>
    IDisposable Subscribe(string topicFilter, MessageHandler handler, int maxPayloadBytes = 256 * 1024);
}
