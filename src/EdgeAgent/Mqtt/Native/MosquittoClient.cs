using System.Runtime.InteropServices;
using System.Text;

namespace EdgeAgent.Mqtt.Native;

/// <summary>
/// One libmosquitto client instance, used for one connection attempt and then disposed: the agent's supervision
/// loop, not libmosquitto, decides when to reconnect. Thread use: <see cref="Loop"/> runs on one dedicated thread
/// (callbacks arrive there); publish, subscribe and disconnect may be called from others (threaded mode).
/// </summary>
internal sealed unsafe class MosquittoClient : IDisposable
{
    private readonly MosquittoHandle _handle;
    private readonly GCHandle _self;
    private readonly IMosquittoCallbacks _callbacks;
    private bool _disposed;

    public MosquittoClient(string clientId, IMosquittoCallbacks callbacks)
    {
        LibMosquitto.EnsureLoaded();
        _callbacks = callbacks;
        _self = GCHandle.Alloc(this);
        _handle = new MosquittoHandle();
        var id = Encoding.UTF8.GetBytes(clientId + "\0");
        fixed (byte* idPtr = id)
        {
            var raw = LibMosquitto.mosquitto_new(idPtr, 1, GCHandle.ToIntPtr(_self));
            if (raw == 0)
            {
                _self.Free();
                throw new MosquittoException("mosquitto_new failed (out of memory or invalid client id)", (int)MosqErr.NoMem);
            }

            Marshal.InitHandle(_handle, raw);
        }

        var mosq = Raw;
        LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_threaded_set(mosq, 1), "mosquitto_threaded_set");
        LibMosquitto.mosquitto_connect_callback_set(mosq, &OnConnectNative);
        LibMosquitto.mosquitto_disconnect_callback_set(mosq, &OnDisconnectNative);
        LibMosquitto.mosquitto_publish_v5_callback_set(mosq, &OnPublishNative);
        LibMosquitto.mosquitto_message_callback_set(mosq, &OnMessageNative);
        LibMosquitto.mosquitto_log_callback_set(mosq, &OnLogNative);
    }

    private nint Raw => _handle.DangerousGetHandle();

    public void SetProtocolVersion(bool v5)
    {
        LibMosquitto.ThrowIfFailed(
            LibMosquitto.mosquitto_int_option(Raw, MosqOpt.MOSQ_OPT_PROTOCOL_VERSION, v5 ? MosqOpt.MQTT_PROTOCOL_V5 : MosqOpt.MQTT_PROTOCOL_V311),
            "setting the MQTT protocol version");
        LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_int_option(Raw, MosqOpt.MOSQ_OPT_TCP_NODELAY, 1), "setting TCP_NODELAY");
    }

    /// <param name="topic">NUL-terminated UTF-8.</param>
    public void SetWill(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        fixed (byte* t = topic)
        fixed (byte* p = payload)
        {
            LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_will_set(Raw, t, payload.Length, p, qos, retain ? (byte)1 : (byte)0), "mosquitto_will_set");
        }
    }

    public void SetCredentials(string username, string? password)
    {
        var user = Encoding.UTF8.GetBytes(username + "\0");
        var pass = password is null ? null : Encoding.UTF8.GetBytes(password + "\0");
        try
        {
            fixed (byte* u = user)
            fixed (byte* p = pass)
            {
                LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_username_pw_set(Raw, u, p), "mosquitto_username_pw_set");
            }
        }
        finally
        {
            if (pass is not null)
            {
                Array.Clear(pass);
            }
        }
    }

    /// <param name="caFile">Null: the system's CA directory.</param>
    public void SetTls(string? caFile, string? certFile, string? keyFile, string? tlsVersion)
    {
        var ca = Z(caFile);
        var caPath = caFile is null ? Z("/etc/ssl/certs") : null;
        var cert = Z(certFile);
        var key = Z(keyFile);
        var version = Z(tlsVersion);
        fixed (byte* a = ca)
        fixed (byte* ap = caPath)
        fixed (byte* c = cert)
        fixed (byte* k = key)
        fixed (byte* v = version)
        {
            LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_tls_set(Raw, a, ap, c, k, 0), "mosquitto_tls_set");
            LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_tls_opts_set(Raw, MosqOpt.SSL_VERIFY_PEER, v, null), "mosquitto_tls_opts_set");
        }
    }

    /// <summary>Starts a non-blocking connect; the result arrives through <see cref="IMosquittoCallbacks.OnConnect"/> or a failing <see cref="Loop"/>.</summary>
    public void ConnectAsync(string host, int port, int keepAliveSeconds)
    {
        var h = Encoding.UTF8.GetBytes(host + "\0");
        fixed (byte* hp = h)
        {
            LibMosquitto.ThrowIfFailed(LibMosquitto.mosquitto_connect_async(Raw, hp, port, keepAliveSeconds), $"connecting to {host}:{port}");
        }
    }

    /// <summary>One round of network I/O (read, write, keepalive). Returns the MOSQ_ERR code and errno for MOSQ_ERR_ERRNO.</summary>
    public int Loop(int timeoutMilliseconds, out int errno)
    {
        var rc = LibMosquitto.mosquitto_loop(Raw, timeoutMilliseconds, 1);
        errno = rc == (int)MosqErr.Errno ? Marshal.GetLastSystemError() : 0;
        return rc;
    }

    /// <summary>Queues a PUBLISH. <paramref name="topic"/> and <paramref name="idValue"/> are NUL-terminated; an empty id sends no user property.</summary>
    public int Publish(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, int qos, bool retain, ReadOnlySpan<byte> idValue, out int mid)
    {
        int m = 0;
        int rc;
        fixed (byte* t = topic)
        fixed (byte* p = payload)
        {
            if (idValue.IsEmpty)
            {
                rc = LibMosquitto.mosquitto_publish(Raw, &m, t, payload.Length, p, qos, retain ? (byte)1 : (byte)0);
            }
            else
            {
                // The property list is native memory; publish_v5 copies it, so it is freed right away.
                nint properties = 0;
                fixed (byte* name = "id\0"u8)
                fixed (byte* value = idValue)
                {
                    rc = LibMosquitto.mosquitto_property_add_string_pair(&properties, MosqOpt.MQTT_PROP_USER_PROPERTY, name, value);
                    if (rc == 0)
                    {
                        rc = LibMosquitto.mosquitto_publish_v5(Raw, &m, t, payload.Length, p, qos, retain ? (byte)1 : (byte)0, properties);
                    }

                    LibMosquitto.mosquitto_property_free_all(&properties);
                }
            }
        }

        mid = m;
        return rc;
    }

    public int Subscribe(string topicFilter, int qos)
    {
        var filter = Encoding.UTF8.GetBytes(topicFilter + "\0");
        int mid;
        fixed (byte* f = filter)
        {
            return LibMosquitto.mosquitto_subscribe(Raw, &mid, f, qos);
        }
    }

    public int Unsubscribe(string topicFilter)
    {
        var filter = Encoding.UTF8.GetBytes(topicFilter + "\0");
        int mid;
        fixed (byte* f = filter)
        {
            return LibMosquitto.mosquitto_unsubscribe(Raw, &mid, f);
        }
    }

    /// <summary>Sends DISCONNECT (the broker then discards the Last Will); the loop ends with MOSQ_ERR_NO_CONN.</summary>
    public int Disconnect() => LibMosquitto.mosquitto_disconnect(Raw);

    /// <summary>
    /// Stops libmosquitto's log callback. It exists to explain connect failures (OpenSSL's reasons); once connected,
    /// libmosquitto would otherwise format a debug line for every packet (measurable at tens of thousands per second).
    /// </summary>
    public void StopLogCallback() => LibMosquitto.mosquitto_log_callback_set(Raw, null);

    public static string Describe(int rc, int errno) => LibMosquitto.Describe(rc, errno);

    public static string DescribeConnack(int code) => LibMosquitto.DescribeConnack(code);

    /// <summary>Only once the loop thread has ended: destroying the instance under a running loop is a use-after-free.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _handle.Dispose();
        _self.Free();
    }

    private static byte[]? Z(string? text) => string.IsNullOrEmpty(text) ? null : Encoding.UTF8.GetBytes(text + "\0");

    private static IMosquittoCallbacks? From(nint userdata) =>
        userdata == 0 ? null : (GCHandle.FromIntPtr(userdata).Target as MosquittoClient)?._callbacks;

    [UnmanagedCallersOnly]
    private static void OnConnectNative(nint mosq, nint userdata, int code) => From(userdata)?.OnConnect(code);

    [UnmanagedCallersOnly]
    private static void OnDisconnectNative(nint mosq, nint userdata, int rc) => From(userdata)?.OnDisconnect(rc);

    [UnmanagedCallersOnly]
    private static void OnPublishNative(nint mosq, nint userdata, int mid, int reasonCode, nint properties) =>
        From(userdata)?.OnPublish(mid, reasonCode);

    [UnmanagedCallersOnly]
    private static void OnMessageNative(nint mosq, nint userdata, MosquittoMessage* message)
    {
        var callbacks = From(userdata);
        if (callbacks is null || message is null)
        {
            return;
        }

        var topic = System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(message->topic);
        var payload = new ReadOnlySpan<byte>(message->payload, Math.Max(0, message->payloadlen));
        callbacks.OnMessage(topic, payload);
    }

    [UnmanagedCallersOnly]
    private static void OnLogNative(nint mosq, nint userdata, int level, byte* text)
    {
        if (text is not null)
        {
            From(userdata)?.OnLog(level, System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text));
        }
    }
}
