using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

internal sealed partial class MqttConnectionService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: connecting to {Host}:{Port} as {ClientId} (MQTT {Version}, TLS {Tls}, libmosquitto {Library})")]
    private static partial void LogStarting(ILogger logger, string host, int port, string clientId, string version, bool tls, string library);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: connected to {Host}:{Port}; publishing under {BaseTopic}")]
    private static partial void LogConnected(ILogger logger, string host, int port, string baseTopic);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT: {Message}. Results wait in the outbox; retrying with backoff")]
    private static partial void LogLinkDown(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT: next connection attempt in {Seconds:F1}s")]
    private static partial void LogRetrying(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the broker did not confirm {Topic} in time")]
    private static partial void LogStatusNotConfirmed(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: published 'offline' to {Topic} and disconnected")]
    private static partial void LogOffline(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: the broker did not answer while stopping; the Last Will will report 'offline'")]
    private static partial void LogStopTimeout(ILogger logger);
}
