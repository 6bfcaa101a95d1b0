using System.Text;
using EdgeAgent.Mqtt;
using EdgeAgent.Mqtt.Native;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// One MQTT CONNECT and DISCONNECT with the agent's settings (protocol, TLS, credentials) through the same libmosquitto,
/// under a client id of its own (the agent's own would take over the running agent's session). No Last Will, no
/// publish, no subscription: the broker sees a login and a clean goodbye.
/// </summary>
internal sealed class BrokerProbe : IMosquittoCallbacks
{
    private readonly TaskCompletionSource<int> _connack = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _libraryError;

    /// <summary>0: accepted; &gt;0: the broker's refusal code; null with <paramref name="failure"/> set: no CONNACK at all.</summary>
    public static int? Connect(MqttOptions options, string clientId, string? password, TimeSpan timeout, out string failure)
    {
        var probe = new BrokerProbe();
        using var client = new MosquittoClient(clientId, probe);
        client.SetProtocolVersion(options.ProtocolVersion == "5");
        if (!string.IsNullOrEmpty(options.Username))
        {
            client.SetCredentials(options.Username, password);
        }

        if (options.Tls.Enabled)
        {
            client.SetTls(NullIfEmpty(options.Tls.CaFile), NullIfEmpty(options.Tls.CertFile), NullIfEmpty(options.Tls.KeyFile), NullIfEmpty(options.Tls.Version));
        }

        try
        {
            client.ConnectAsync(options.Host, options.Port, Math.Max(5, (int)timeout.TotalSeconds));
        }
        catch (MosquittoException ex)
        {
            failure = probe._libraryError is null ? ex.Message : $"{ex.Message} ({probe._libraryError})";
            return null;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (!probe._connack.Task.IsCompleted && DateTime.UtcNow < deadline)
        {
            var rc = client.Loop(100, out var errno);
            if (rc != 0 && !probe._connack.Task.IsCompleted) // a refusal arrives as a CONNACK and then a closed connection
            {
                var end = new SessionEnd(rc, errno, probe._libraryError);
                failure = end.Describe();
                return null;
            }
        }

        if (!probe._connack.Task.IsCompleted)
        {
            failure = $"no CONNACK within {timeout.TotalSeconds:F0} s";
            return null;
        }

        var code = probe._connack.Task.Result;
        if (code == 0)
        {
            client.Disconnect();
            for (var i = 0; i < 10 && client.Loop(50, out _) == 0; i++)
            {
            }
        }

        failure = string.Empty;
        return code;
    }

    public void OnConnect(int code) => _connack.TrySetResult(code);

    public void OnDisconnect(int rc)
    {
    }

    public void OnPublish(int mid, int reasonCode)
    {
    }

    public void OnMessage(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload)
    {
    }

    public void OnLog(int level, ReadOnlySpan<byte> message)
    {
        if ((level & (MosqOpt.MOSQ_LOG_ERR | MosqOpt.MOSQ_LOG_WARNING)) != 0)
        {
            _libraryError = Encoding.UTF8.GetString(message);
        }
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
