using System.Runtime.InteropServices;
using EdgeAgent.Configuration;

namespace EdgeAgent.Mqtt.Native;

/// <summary>
/// The libmosquitto 2.0 C API, under its C names, as function pointers resolved once from <c>libmosquitto.so.1</c>
/// (Debian's libmosquitto1; the same soname on Raspberry Pi OS and Jetson's Ubuntu). Signatures follow mosquitto.h;
/// C <c>bool</c> is one byte, so it is passed as <see cref="byte"/>.
/// </summary>
internal static unsafe class LibMosquitto
{
    public const string LibraryName = "libmosquitto.so.1";

    private static readonly Lock InitLock = new();
    private static bool _initialized;

#pragma warning disable SA1401, IDE1006 // C names, resolved once
    public static delegate* unmanaged<int> mosquitto_lib_init;
    public static delegate* unmanaged<int*, int*, int*, int> mosquitto_lib_version;
    public static delegate* unmanaged<byte*, byte, nint, nint> mosquitto_new;
    public static delegate* unmanaged<nint, void> mosquitto_destroy;
    public static delegate* unmanaged<nint, byte, int> mosquitto_threaded_set;
    public static delegate* unmanaged<nint, int, int, int> mosquitto_int_option;
    public static delegate* unmanaged<nint, byte*, int, void*, int, byte, int> mosquitto_will_set;
    public static delegate* unmanaged<nint, byte*, byte*, int> mosquitto_username_pw_set;
    public static delegate* unmanaged<nint, byte*, byte*, byte*, byte*, nint, int> mosquitto_tls_set;
    public static delegate* unmanaged<nint, int, byte*, byte*, int> mosquitto_tls_opts_set;
    public static delegate* unmanaged<nint, byte*, int, int, int> mosquitto_connect_async;
    public static delegate* unmanaged<nint, int> mosquitto_disconnect;
    public static delegate* unmanaged<nint, int, int, int> mosquitto_loop;
    public static delegate* unmanaged<nint, int*, byte*, int, void*, int, byte, int> mosquitto_publish;
    public static delegate* unmanaged<nint, int*, byte*, int, void*, int, byte, nint, int> mosquitto_publish_v5;
    public static delegate* unmanaged<nint, int*, byte*, int, int> mosquitto_subscribe;
    public static delegate* unmanaged<nint, int*, byte*, int> mosquitto_unsubscribe;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, void>, void> mosquitto_connect_callback_set;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, void>, void> mosquitto_disconnect_callback_set;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, int, nint, void>, void> mosquitto_publish_v5_callback_set;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, nint, MosquittoMessage*, void>, void> mosquitto_message_callback_set;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, byte*, void>, void> mosquitto_log_callback_set;
    public static delegate* unmanaged<int, byte*> mosquitto_strerror;
    public static delegate* unmanaged<int, byte*> mosquitto_connack_string;
    public static delegate* unmanaged<int, byte*> mosquitto_reason_string;
    public static delegate* unmanaged<nint*, int, byte*, byte*, int> mosquitto_property_add_string_pair;
    public static delegate* unmanaged<nint*, void> mosquitto_property_free_all;
#pragma warning restore SA1401, IDE1006

    /// <summary>Loads the library and calls <c>mosquitto_lib_init</c> once; a missing library is a start-up error (exit 69).</summary>
    public static void EnsureLoaded()
    {
        lock (InitLock)
        {
            if (_initialized)
            {
                return;
            }

            if (!NativeLibrary.TryLoad(LibraryName, out var library))
            {
                throw new AgentStartupException(
                    $"the MQTT client library {LibraryName} was not found. Fix: install it (Debian/Ubuntu/Raspberry Pi OS: apt-get install libmosquitto1), or set mqtt.enabled=false", 69);
            }

            mosquitto_lib_init = (delegate* unmanaged<int>)Export(library, "mosquitto_lib_init");
            mosquitto_lib_version = (delegate* unmanaged<int*, int*, int*, int>)Export(library, "mosquitto_lib_version");
            mosquitto_new = (delegate* unmanaged<byte*, byte, nint, nint>)Export(library, "mosquitto_new");
            mosquitto_destroy = (delegate* unmanaged<nint, void>)Export(library, "mosquitto_destroy");
            mosquitto_threaded_set = (delegate* unmanaged<nint, byte, int>)Export(library, "mosquitto_threaded_set");
            mosquitto_int_option = (delegate* unmanaged<nint, int, int, int>)Export(library, "mosquitto_int_option");
            mosquitto_will_set = (delegate* unmanaged<nint, byte*, int, void*, int, byte, int>)Export(library, "mosquitto_will_set");
            mosquitto_username_pw_set = (delegate* unmanaged<nint, byte*, byte*, int>)Export(library, "mosquitto_username_pw_set");
            mosquitto_tls_set = (delegate* unmanaged<nint, byte*, byte*, byte*, byte*, nint, int>)Export(library, "mosquitto_tls_set");
            mosquitto_tls_opts_set = (delegate* unmanaged<nint, int, byte*, byte*, int>)Export(library, "mosquitto_tls_opts_set");
            mosquitto_connect_async = (delegate* unmanaged<nint, byte*, int, int, int>)Export(library, "mosquitto_connect_async");
            mosquitto_disconnect = (delegate* unmanaged<nint, int>)Export(library, "mosquitto_disconnect");
            mosquitto_loop = (delegate* unmanaged<nint, int, int, int>)Export(library, "mosquitto_loop");
            mosquitto_publish = (delegate* unmanaged<nint, int*, byte*, int, void*, int, byte, int>)Export(library, "mosquitto_publish");
            mosquitto_publish_v5 = (delegate* unmanaged<nint, int*, byte*, int, void*, int, byte, nint, int>)Export(library, "mosquitto_publish_v5");
            mosquitto_subscribe = (delegate* unmanaged<nint, int*, byte*, int, int>)Export(library, "mosquitto_subscribe");
            mosquitto_unsubscribe = (delegate* unmanaged<nint, int*, byte*, int>)Export(library, "mosquitto_unsubscribe");
            mosquitto_connect_callback_set = (delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, void>, void>)Export(library, "mosquitto_connect_callback_set");
            mosquitto_disconnect_callback_set = (delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, void>, void>)Export(library, "mosquitto_disconnect_callback_set");
            mosquitto_publish_v5_callback_set = (delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, int, nint, void>, void>)Export(library, "mosquitto_publish_v5_callback_set");
            mosquitto_message_callback_set = (delegate* unmanaged<nint, delegate* unmanaged<nint, nint, MosquittoMessage*, void>, void>)Export(library, "mosquitto_message_callback_set");
            mosquitto_log_callback_set = (delegate* unmanaged<nint, delegate* unmanaged<nint, nint, int, byte*, void>, void>)Export(library, "mosquitto_log_callback_set");
            mosquitto_strerror = (delegate* unmanaged<int, byte*>)Export(library, "mosquitto_strerror");
            mosquitto_connack_string = (delegate* unmanaged<int, byte*>)Export(library, "mosquitto_connack_string");
            mosquitto_reason_string = (delegate* unmanaged<int, byte*>)Export(library, "mosquitto_reason_string");
            mosquitto_property_add_string_pair = (delegate* unmanaged<nint*, int, byte*, byte*, int>)Export(library, "mosquitto_property_add_string_pair");
            mosquitto_property_free_all = (delegate* unmanaged<nint*, void>)Export(library, "mosquitto_property_free_all");

            ThrowIfFailed(mosquitto_lib_init(), "mosquitto_lib_init");
            _initialized = true;
        }
    }

    /// <summary>"major.minor.revision" of the loaded library.</summary>
    public static string Version()
    {
        EnsureLoaded();
        int major, minor, revision;
        mosquitto_lib_version(&major, &minor, &revision);
        return $"{major}.{minor}.{revision}";
    }

    /// <summary>The one place a <c>MOSQ_ERR_*</c> becomes an exception; MOSQ_ERR_ERRNO carries the system error text.</summary>
    public static void ThrowIfFailed(int rc, string operation)
    {
        if (rc != (int)MosqErr.Success)
        {
            throw new MosquittoException($"{operation} failed: {Describe(rc, Marshal.GetLastSystemError())}", rc);
        }
    }

    /// <summary>Words for a <c>MOSQ_ERR_*</c> code, with errno's text when the code is MOSQ_ERR_ERRNO.</summary>
    public static string Describe(int rc, int errno)
    {
        if (rc == (int)MosqErr.Errno && errno != 0)
        {
            return Marshal.GetPInvokeErrorMessage(errno);
        }

        var text = mosquitto_strerror is null ? null : Utf8(mosquitto_strerror(rc));
        if (text is not null && !text.StartsWith("Unknown error", StringComparison.Ordinal))
        {
            return text;
        }

        // libmosquitto 2.0.11 (Debian 12) has no words for several codes it returns, MOSQ_ERR_KEEPALIVE among them: a
        // lost link then read "Unknown error." and said nothing about why.
        return (MosqErr)rc switch
        {
            MosqErr.Keepalive => "keepalive timeout: no answer from the broker to a PINGREQ within mqtt.keepAliveSeconds (MOSQ_ERR_KEEPALIVE)",
            MosqErr.Lookup => "the host name could not be resolved (MOSQ_ERR_LOOKUP)",
            MosqErr.MalformedPacket => "the broker sent a malformed packet (MOSQ_ERR_MALFORMED_PACKET)",
            MosqErr.TlsHandshake => "the TLS handshake failed (MOSQ_ERR_TLS_HANDSHAKE)",
            MosqErr.OversizePacket => "a packet exceeds the broker's maximum packet size (MOSQ_ERR_OVERSIZE_PACKET)",
            MosqErr.Timeout => "timed out (MOSQ_ERR_TIMEOUT)",
            MosqErr.AdministrativeAction => "the broker's administrator disconnected the client (MOSQ_ERR_ADMINISTRATIVE_ACTION)",
            _ => $"{text ?? "error"} (MOSQ_ERR {rc})",
        };
    }

    /// <summary>The broker's reason for refusing a CONNECT: CONNACK codes (3.1.1) are below 128, MQTT 5 reason codes at or above.</summary>
    public static string DescribeConnack(int code) =>
        Utf8(code >= 128 ? mosquitto_reason_string(code) : mosquitto_connack_string(code)) ?? $"reason code {code}";

    public static string? Utf8(byte* text) =>
        text is null ? null : Marshal.PtrToStringUTF8((nint)text);

    private static nint Export(nint library, string name)
    {
        if (!NativeLibrary.TryGetExport(library, name, out var address))
        {
            throw new AgentStartupException($"{LibraryName} has no symbol {name}; libmosquitto 2.0 or newer is required (apt-get install libmosquitto1)", 69);
        }

        return address;
    }
}
