using System.Text;
using System.Threading.Channels;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

/// <summary>
/// Inbound subscriptions: kept across reconnects (subscribed again on every connect), and messages handed from
/// libmosquitto's thread to a dispatcher through a bounded queue. Oversized and malformed payloads (a handler that
/// throws) are counted and logged at most every ten seconds; they never stop the agent.
/// </summary>
internal sealed partial class SubscriptionRegistry
{
    private readonly Lock _lock = new();
    private readonly LogRateLimiter _dropLog = new(burst: 1, TimeSpan.FromSeconds(10));
    private readonly List<Subscription> _subscriptions = [];
    private readonly Channel<(string Topic, byte[] Payload)> _inbound =
        Channel.CreateBounded<(string, byte[])>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ILogger _logger;
    private volatile int _largestLimit;
    private long _oversized;
    private long _malformed;
    private long _overflowed;

    public SubscriptionRegistry(ILogger logger)
    {
        _logger = logger;
    }

    public long Oversized => Interlocked.Read(ref _oversized);

    public long Malformed => Interlocked.Read(ref _malformed);

    public long Overflowed => Interlocked.Read(ref _overflowed);

    public IDisposable Add(string topicFilter, MessageHandler handler, int maxPayloadBytes, MqttSession? connected)
    {
        if (!TopicFilter.IsValid(topicFilter))
        {
            throw new ArgumentException($"'{topicFilter}' is not a valid MQTT topic filter", nameof(topicFilter));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPayloadBytes);
        var subscription = new Subscription(topicFilter, handler, maxPayloadBytes, this);
        lock (_lock)
        {
            _subscriptions.Add(subscription);
            _largestLimit = _subscriptions.Max(s => s.MaxPayloadBytes);
        }

        if (connected is not null && connected.Client.Subscribe(topicFilter, 1) is var rc and not 0)
        {
            LogSubscribeFailed(_logger, topicFilter, Native.MosquittoClient.Describe(rc, 0));
        }

        return subscription;
    }

    public void Resubscribe(MqttSession session)
    {
        string[] filters;
        lock (_lock)
        {
            filters = [.. _subscriptions.Select(s => s.Filter).Distinct(StringComparer.Ordinal)];
        }

        foreach (var filter in filters)
        {
            var rc = session.Client.Subscribe(filter, 1);
            if (rc != 0)
            {
                LogSubscribeFailed(_logger, filter, Native.MosquittoClient.Describe(rc, 0));
            }
        }
    }

    /// <summary>On libmosquitto's thread: drop what is too large for every subscriber, copy the rest and hand it off.</summary>
    public void OnMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > _largestLimit)
        {
            Interlocked.Increment(ref _oversized);
            MaybeLog();
            return;
        }

        if (!_inbound.Writer.TryWrite((Encoding.UTF8.GetString(topic), payload.ToArray())))
        {
            Interlocked.Increment(ref _overflowed);
            MaybeLog();
        }
    }

    public async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await foreach (var (topic, payload) in _inbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            Subscription[] matching;
            lock (_lock)
            {
                matching = [.. _subscriptions.Where(s => TopicFilter.Matches(s.Filter, topic))];
            }

            foreach (var subscription in matching)
            {
                if (payload.Length > subscription.MaxPayloadBytes)
                {
                    Interlocked.Increment(ref _oversized);
                    MaybeLog();
                    continue;
                }

                try
                {
                    subscription.Handler(topic, payload);
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref _malformed);
                    if (MaybeLog())
                    {
                        LogHandlerFailed(_logger, topic, ex.Message);
                    }
                }
            }
        }
    }

    private bool MaybeLog()
    {
        if (!_dropLog.TryAcquire())
        {
            return false;
        }

        LogInboundDropped(_logger, Oversized, Malformed, Overflowed);
        return true;
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
            _largestLimit = _subscriptions.Count == 0 ? 0 : _subscriptions.Max(s => s.MaxPayloadBytes);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound MQTT messages dropped so far: {Oversized} over their subscription's size limit, {Malformed} rejected by their handler, {Overflowed} because handlers fell behind")]
    private static partial void LogInboundDropped(ILogger logger, long oversized, long malformed, long overflowed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Inbound message on {Topic} was rejected by its handler: {Reason}")]
    private static partial void LogHandlerFailed(ILogger logger, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to {Filter} failed: {Reason}; it is tried again on the next connect")]
    private static partial void LogSubscribeFailed(ILogger logger, string filter, string reason);

    private sealed class Subscription(string filter, MessageHandler handler, int maxPayloadBytes, SubscriptionRegistry owner) : IDisposable
    {
        public string Filter { get; } = filter;

        public MessageHandler Handler { get; } = handler;

        public int MaxPayloadBytes { get; } = maxPayloadBytes;

        public void Dispose() => owner.Remove(this);
    }
}
