namespace EdgeAgent.Mqtt.Native;

/// <summary><c>enum mosq_opt_t</c> and the protocol constants from mosquitto.h / mqtt_protocol.h (2.0).</summary>
internal static class MosqOpt
{
    public const int MOSQ_OPT_PROTOCOL_VERSION = 1;
    public const int MOSQ_OPT_TCP_NODELAY = 11;

    public const int MQTT_PROTOCOL_V311 = 4;
    public const int MQTT_PROTOCOL_V5 = 5;

    public const int MQTT_PROP_USER_PROPERTY = 38;

    public const int MOSQ_LOG_ERR = 1 << 3;
    public const int MOSQ_LOG_WARNING = 1 << 2;

    /// <summary>SSL_VERIFY_PEER for <c>mosquitto_tls_opts_set</c>.</summary>
    public const int SSL_VERIFY_PEER = 1;
}
