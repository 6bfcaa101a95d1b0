using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

public sealed partial class MqttLink
{
    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT: an inbound message could not be handed off: {Reason}")]
    private static partial void LogCallbackFailed(ILogger logger, string reason);
}
