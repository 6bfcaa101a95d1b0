using System.Text;
using EdgeAgent.Configuration;
using EdgeAgent.Mqtt.Native;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Mqtt;

/// <summary>
/// The supervision loop: connect, announce 'online', serve until the link ends, back off with jitter, repeat.
/// Reconnecting happens here and only here (never inside libmosquitto's callbacks or its own reconnect logic).
/// On a clean stop it publishes 'offline' and disconnects, so the broker does not fire the Last Will.
/// </summary>
internal sealed partial class MqttConnectionService : BackgroundService
{
    private static readonly byte[] Online = "online"u8.ToArray();
    private static readonly byte[] Offline = "offline"u8.ToArray();
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(5);

    private readonly MqttLink _link;
    private readonly MqttOptions _options;
    private readonly string _clientId;
    private readonly string? _password;
    private readonly HomeAssistantDiscovery _discovery;
    private readonly ILogger<MqttConnectionService> _logger;
    private int _generation;
    private string? _lastFailure;
    private readonly HashSet<string> _loggedFailures = new(StringComparer.Ordinal);

    public MqttConnectionService(MqttLink link, AgentOptions options, HomeAssistantDiscovery discovery, ILogger<MqttConnectionService> logger)
    {
        _link = link;
        _options = options.Mqtt;
        _clientId = options.Mqtt.EffectiveClientId(options.DeviceId);
        _password = MqttCredentials.Password(options.Mqtt);
        _discovery = discovery;
        _logger = logger;
        LibMosquitto.EnsureLoaded();
        _link.V5 = options.Mqtt.ProtocolVersion == "5";
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_logger, _options.Host, _options.Port, _clientId, _options.ProtocolVersion, _options.Tls.Enabled, LibMosquitto.Version());
        var backoff = new Backoff(TimeSpan.FromMilliseconds(_options.Reconnect.MinDelayMilliseconds), TimeSpan.FromSeconds(_options.Reconnect.MaxDelaySeconds),
            BackoffJitter.Equal);
        while (!stoppingToken.IsCancellationRequested)
        {
            var refused = false;
            using (var session = new MqttSession(_link, ++_generation, _clientId))
            {
                try
                {
                    refused = await RunSessionAsync(session, backoff, stoppingToken).ConfigureAwait(false);
                }
                catch (MosquittoException ex)
                {
                    Fail(ConnectionState.Unreachable, ex.Message + Hint(ex.Code));
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    await GoOfflineAsync(session).ConfigureAwait(false);
                    return;
                }
            }

            var delay = refused ? backoff.Longest() : backoff.Next();
            LogRetrying(_logger, delay.TotalSeconds);
            try
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <returns>true when the broker refused us (credentials, client id): retry at the slowest pace.</returns>
    private async Task<bool> RunSessionAsync(MqttSession session, Backoff backoff, CancellationToken stoppingToken)
    {
        Configure(session.Client);
        _link.SetConnecting(session);
        session.Start(_options.Host, _options.Port, _options.KeepAliveSeconds);

        // libmosquitto has no connect timeout of its own: a silently dropped SYN would otherwise wait forever.
        int code;
        try
        {
            code = await session.Connack.WaitAsync(TimeSpan.FromSeconds(_options.KeepAliveSeconds + 10), stoppingToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Fail(ConnectionState.Unreachable, $"no answer from the broker {_options.Host}:{_options.Port} within {_options.KeepAliveSeconds + 10}s");
            return false;
        }

        if (code != 0)
        {
            var end = await session.Ended.WaitAsync(stoppingToken).ConfigureAwait(false);
            if (code > 0)
            {
                Fail(ConnectionState.Refused,
                    $"the broker {_options.Host}:{_options.Port} refused the connection: {MosquittoClient.DescribeConnack(code)}. " +
                    "Fix: check mqtt.username and the password (mqtt.passwordFile or EDGEAGENT__MQTT__PASSWORD), and that mqtt.clientId is allowed");
                return true;
            }

            Fail(ConnectionState.Unreachable, $"cannot connect to the broker {_options.Host}:{_options.Port}: {end.Describe()}{Hint(end.Code)}");
            return false;
        }

        // 'online' is retained so late subscribers see it; the Last Will replaces it if we vanish.
        if (!await session.PublishAndConfirmAsync(_link.StatusTopic, Online, retain: true, ConfirmTimeout).ConfigureAwait(false))
        {
            LogStatusNotConfirmed(_logger, _link.StatusTopic);
        }

        session.Client.StopLogCallback();
        backoff.Reset();
        _lastFailure = null;
        _loggedFailures.Clear();
        _link.SetConnected(session);
        LogConnected(_logger, _options.Host, _options.Port, _link.BaseTopic);
        await _discovery.PublishAsync(session).ConfigureAwait(false);

        var ended = await session.Ended.WaitAsync(stoppingToken).ConfigureAwait(false);
        Fail(ConnectionState.Unreachable, $"lost the connection to {_options.Host}:{_options.Port}: {ended.Describe()}");
        return false;
    }

    private void Configure(MosquittoClient client)
    {
        client.SetProtocolVersion(_options.ProtocolVersion == "5");
        client.SetWill(Encoding.UTF8.GetBytes(_link.StatusTopic + "\0"), Offline, qos: 1, retain: true);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            client.SetCredentials(_options.Username, _password);
        }

        if (_options.Tls.Enabled)
        {
            var tls = _options.Tls;
            client.SetTls(NullIfEmpty(tls.CaFile), NullIfEmpty(tls.CertFile), NullIfEmpty(tls.KeyFile), NullIfEmpty(tls.Version));
        }
    }

    private async Task GoOfflineAsync(MqttSession session)
    {
        var connected = _link.State == ConnectionState.Connected;
        _link.SetDown(ConnectionState.Unreachable, "stopping");
        try
        {
            if (connected)
            {
                await session.PublishAndConfirmAsync(_link.StatusTopic, Offline, retain: true, ConfirmTimeout).ConfigureAwait(false);
                LogOffline(_logger, _link.StatusTopic);
            }

            await session.StopAsync(sendDisconnect: connected, ConfirmTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogStopTimeout(_logger);
        }
    }

    private void Fail(ConnectionState state, string message)
    {
        _link.SetDown(state, message);

        // Each distinct failure is logged once per outage: a broker that alternates between refusing and dropping
        // the connection must not fill the log at every retry.
        if (message != _lastFailure && _loggedFailures.Add(message))
        {
            LogLinkDown(_logger, message);
        }

        _lastFailure = message;
    }

    private string Hint(int code) => (MosqErr)code switch
    {
        MosqErr.Tls or MosqErr.TlsHandshake =>
            $". Fix: check that mqtt.tls.caFile ('{_options.Tls.CaFile}') holds the CA that signed the broker's certificate and that mqtt.host matches the certificate's name",
        MosqErr.Eai or MosqErr.Lookup => ". Fix: check mqtt.host",
        _ => string.Empty,
    };

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
