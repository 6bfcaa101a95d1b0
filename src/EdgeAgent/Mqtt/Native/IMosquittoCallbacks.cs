namespace EdgeAgent.Mqtt.Native;

/// <summary>
/// What libmosquitto reports, called on the thread running <c>mosquitto_loop</c>. Implementations do the least
/// possible work (record, signal, copy) and hand off; they must not call back into the same client.
/// </summary>
internal interface IMosquittoCallbacks
{
    /// <param name="code">0: accepted; else the CONNACK code (3.1.1) or reason code (5).</param>
    void OnConnect(int code);

    void OnDisconnect(int rc);

    /// <param name="reasonCode">0 on success; an MQTT 5 reason code at or above 128 when the broker rejected the message.</param>
    void OnPublish(int mid, int reasonCode);

    void OnMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload);

    void OnLog(int level, ReadOnlySpan<byte> message);
}
