using System.Text;
using EdgeAgent.Mqtt.Native;

namespace EdgeAgent.Mqtt;

/// <summary>
/// One connection attempt and, if it succeeds, one connected period: a fresh libmosquitto client, the thread that
/// runs its network loop, and the hand-off of what its callbacks report. The supervision loop creates one per
/// attempt and disposes it when the link ends; libmosquitto's own reconnect is never used.
/// </summary>
internal sealed class MqttSession : IMosquittoCallbacks, IDisposable
{
    private readonly MqttLink _link;
    private readonly Thread _thread;
    private readonly TaskCompletionSource<int> _connack = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SessionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _controlLock = new();
    private readonly Dictionary<int, TaskCompletionSource> _controlAcks = [];
    private volatile bool _stop;
    private bool _started;
    private volatile bool _controlPending;
    private volatile string? _lastLibraryError;

    public MqttSession(MqttLink link, int generation, string clientId)
    {
        _link = link;
        Generation = generation;
        Client = new MosquittoClient(clientId, this);
        _thread = new Thread(RunLoop) { Name = "mqtt-network", IsBackground = true };
    }

    public int Generation { get; }

    public MosquittoClient Client { get; }

    /// <summary>The broker's CONNACK code: 0 accepted.</summary>
    public Task<int> Connack => _connack.Task;

    /// <summary>Completes when the network loop has ended (link lost, refused, or disconnected by us).</summary>
    public Task<SessionEnd> Ended => _ended.Task;

    public void Start(string host, int port, int keepAliveSeconds)
    {
        try
        {
            Client.ConnectAsync(host, port, keepAliveSeconds);
        }
        catch (MosquittoException ex)
        {
            // A refused TCP connect or a failed TLS handshake can fail right here; OpenSSL's reason is in the log callback.
            throw new MosquittoException(_lastLibraryError is null ? ex.Message : $"{ex.Message} ({_lastLibraryError})", ex.Code);
        }

        _thread.Start();
        _started = true;
    }

    /// <summary>Publishes a control message (status, discovery) outside the outbox and waits for its PUBACK.</summary>
    public async Task<bool> PublishAndConfirmAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, TimeSpan timeout)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var topicZ = Encoding.UTF8.GetBytes(topic + "\0");
        lock (_controlLock)
        {
            _controlPending = true;
            var rc = Client.Publish(topicZ, payload.Span, 1, retain, default, out var mid);
            if (rc != 0)
            {
                return false;
            }

            _controlAcks[mid] = completion;
        }

        try
        {
            await completion.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Fire-and-forget QoS 0 (telemetry): nothing is kept when the link is down.</summary>
    public bool PublishQos0(string topic, ReadOnlySpan<byte> payload, bool retain)
    {
        var topicZ = Encoding.UTF8.GetBytes(topic + "\0");
        return Client.Publish(topicZ, payload, 0, retain, default, out _) == 0;
    }

    /// <summary>Ends the session: DISCONNECT if connected (the broker then discards the Last Will), and stops the loop.</summary>
    public async Task StopAsync(bool sendDisconnect, TimeSpan timeout)
    {
        if (sendDisconnect && _started && Client.Disconnect() == 0)
        {
            // The loop writes the DISCONNECT, closes the socket and ends by itself; stopping it first would drop the
            // packet, and the broker would publish the Last Will instead of taking our clean goodbye.
            try
            {
                await _ended.Task.WaitAsync(timeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        _stop = true;
        if (_started)
        {
            await _ended.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_started && !_thread.Join(TimeSpan.FromSeconds(5)))
        {
            return; // never destroy a client under a running loop; the process is going down anyway
        }

        Client.Dispose();
    }

    public void OnConnect(int code) => _connack.TrySetResult(code);

    public void OnDisconnect(int rc)
    {
    }

    public void OnPublish(int mid, int reasonCode)
    {
        if (_controlPending)
        {
            lock (_controlLock)
            {
                if (_controlAcks.Remove(mid, out var completion))
                {
                    completion.TrySetResult();
                    _controlPending = _controlAcks.Count > 0;
                    return;
                }
            }
        }

        _link.OnAcknowledged(Generation, mid, reasonCode >= 128);
    }

    public void OnMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload) => _link.OnMessage(topic, payload);

    public void OnLog(int level, ReadOnlySpan<byte> message)
    {
        // Kept for the error report: TLS failures are explained only here (OpenSSL's words).
        if ((level & (MosqOpt.MOSQ_LOG_ERR | MosqOpt.MOSQ_LOG_WARNING)) != 0)
        {
            _lastLibraryError = Encoding.UTF8.GetString(message);
        }
    }

    private void RunLoop()
    {
        int rc;
        int errno;
        do
        {
            rc = Client.Loop(100, out errno);
        }
        while (rc == 0 && !_stop);

        if (rc == 0 && _stop)
        {
            // Asked to stop without a DISCONNECT (shutdown while connecting): finish the loop's pending work once.
            rc = (int)MosqErr.NoConn;
        }

        _connack.TrySetResult(-1);
        _ended.TrySetResult(new SessionEnd(rc, errno, _lastLibraryError));
    }
}
