using EdgeAgent.Mqtt.Native;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

/// <summary>
/// The agent's side of the broker connection as the rest of the agent sees it: the outbox's sink, the subscription
/// API, the connection state for health and telemetry. The supervision loop (<see cref="MqttConnectionService"/>)
/// swaps the session underneath it.
/// </summary>
public sealed partial class MqttLink : IOutboxSink, IHealthSource
{
    private readonly Lock _sessionLock = new();
    private readonly DurableOutbox _outbox;
    private readonly ILogger<MqttLink> _logger;
    private readonly byte[] _topicBuffer = GC.AllocateArray<byte>(1024, pinned: true);
    private readonly int _baseLength;
    private MqttSession? _session;
    private int _connectedGeneration;
    private volatile string _stateDetail = "starting";
    private long _connectedSinceMs;
    private long _connectionsMade;

    public MqttLink(string host, int port, string baseTopic, DurableOutbox outbox, ILogger<MqttLink> logger)
    {
        Host = host;
        Port = port;
        BaseTopic = baseTopic;
        _outbox = outbox;
        _logger = logger;
        var prefix = System.Text.Encoding.UTF8.GetBytes(baseTopic + "/");
        prefix.CopyTo(_topicBuffer, 0);
        _baseLength = prefix.Length;
        _subscriptions = new SubscriptionRegistry(logger);
        outbox.AttachSink(this);
    }

    public string Host { get; }

    public int Port { get; }

    public string BaseTopic { get; }

    public string StatusTopic => BaseTopic + "/" + MqttTopics.Status;

    public ConnectionState State { get; private set; } = ConnectionState.Connecting;

    public string Name => "mqtt";

    public int ConnectionGeneration => Volatile.Read(ref _connectedGeneration);

    /// <summary>Connections that came up since start (more than one: the link was lost and came back).</summary>
    public long ConnectionsMade => Interlocked.Read(ref _connectionsMade);

    /// <summary>Unix ms since the current connection came up, 0 while down.</summary>
    public long ConnectedSinceMs => Volatile.Read(ref _connectedSinceMs);

    public HealthReport Check(long nowTicks) => State switch
    {
        ConnectionState.Connected => HealthReport.Healthy(_stateDetail),

        // The network is not the agent's fault: Degraded keeps the watchdog fed while results wait in the outbox.
        _ => HealthReport.Degraded(_stateDetail),
    };

    public SendResult Send(int generation, ReadOnlySpan<byte> relativeTopic, ReadOnlySpan<byte> payload, byte qos, bool retain, ReadOnlySpan<byte> id, out int mid)
    {
        mid = 0;
        var length = _baseLength + relativeTopic.Length;
        if (length + 1 > _topicBuffer.Length)
        {
            return SendResult.Rejected;
        }

        relativeTopic.CopyTo(_topicBuffer.AsSpan(_baseLength));
        _topicBuffer[length] = 0;
        lock (_sessionLock)
        {
            var session = _session;
            if (session is null || session.Generation != generation)
            {
                return SendResult.NotConnected;
            }

            var rc = session.Client.Publish(_topicBuffer.AsSpan(0, length + 1), payload, qos, retain, V5 ? id : default, out mid);
            return (MosqErr)rc switch
            {
                MosqErr.Success => SendResult.Sent,
                MosqErr.PayloadSize or MosqErr.OversizePacket or MosqErr.MalformedUtf8 or MosqErr.Inval or MosqErr.QosNotSupported => SendResult.Rejected,
                _ => SendResult.NotConnected,
            };
        }
    }

    /// <summary>Whether messages carry their id as an MQTT 5 user property.</summary>
    internal bool V5 { get; set; } = true;

    /// <summary>QoS 0, not kept when the link is down (telemetry: a stale report is worth nothing).</summary>
    public bool TryPublishTransient(string relativeTopic, ReadOnlySpan<byte> payload)
    {
        lock (_sessionLock)
        {
            return _session is { } session && Volatile.Read(ref _connectedGeneration) == session.Generation &&
                   session.PublishQos0($"{BaseTopic}/{relativeTopic}", payload, retain: false);
        }
    }

    internal void OnAcknowledged(int generation, int mid, bool rejected) => _outbox.OnAcknowledged(generation, mid, rejected);

    internal void SetConnecting(MqttSession session)
    {
        lock (_sessionLock)
        {
            _session = session;
        }

        // After a failure STATUS keeps saying why until the link is up again.
        if (State is ConnectionState.Connecting or ConnectionState.Disabled)
        {
            _stateDetail = $"connecting to {Host}:{Port}";
        }
    }

    /// <summary>The session is up (CONNACK accepted, 'online' published): the outbox may send through it.</summary>
    internal void SetConnected(MqttSession session)
    {
        lock (_sessionLock)
        {
            _session = session;
            Volatile.Write(ref _connectedGeneration, session.Generation);
        }

        Volatile.Write(ref _connectedSinceMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Interlocked.Increment(ref _connectionsMade);
        State = ConnectionState.Connected;
        _stateDetail = $"connected to {Host}:{Port}";
        _subscriptions.Resubscribe(session);
        _outbox.Wake();
    }

    internal void SetDown(ConnectionState state, string detail)
    {
        lock (_sessionLock)
        {
            _session = null;
            Volatile.Write(ref _connectedGeneration, 0);
        }

        Volatile.Write(ref _connectedSinceMs, 0);
        State = state;
        _stateDetail = detail;
        _outbox.Wake();
    }
}
