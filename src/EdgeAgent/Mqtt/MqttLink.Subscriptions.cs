using EdgeAgent.Pipelines.Events;

namespace EdgeAgent.Mqtt;

public sealed partial class MqttLink : IMessageSubscriptions
{
    private readonly SubscriptionRegistry _subscriptions;

    /// <summary>Inbound messages dropped: over the size limit, rejected by their handler, or beyond the hand-off queue.</summary>
    public (long Oversized, long Malformed, long Overflowed) InboundDrops =>
        (_subscriptions.Oversized, _subscriptions.Malformed, _subscriptions.Overflowed);

    public IDisposable Subscribe(string topicFilter, MessageHandler handler, int maxPayloadBytes = 256 * 1024)
    {
        // Added under the session lock: SetConnected marks the session up under the same lock before it resubscribes
        // the registry, so a filter added while a connect completes is either seen here as connected or in that
        // resubscription; checked outside the lock it could miss both and never be sent to the broker.
        lock (_sessionLock)
        {
            var connected = _connectedGeneration != 0 ? _session : null;
            return _subscriptions.Add(topicFilter, handler, maxPayloadBytes, connected);
        }
    }

    internal void OnMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        try
        {
            _subscriptions.OnMessage(topic, payload);
        }
        catch (Exception ex)
        {
            // On libmosquitto's thread an escaping exception would end the process; count it as malformed instead.
            LogCallbackFailed(_logger, ex.Message);
        }
    }

    internal Task DispatchInboundAsync(CancellationToken cancellationToken) => _subscriptions.DispatchAsync(cancellationToken);
}
