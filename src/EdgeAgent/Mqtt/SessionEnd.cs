using EdgeAgent.Mqtt.Native;

namespace EdgeAgent.Mqtt;

/// <summary>Why a session's network loop ended: the MOSQ_ERR code, errno, and libmosquitto's last error log line.</summary>
internal readonly record struct SessionEnd(int Code, int Errno, string? LibraryMessage)
{
    public string Describe()
    {
        var text = MosquittoClient.Describe(Code, Errno);
        return LibraryMessage is null ? text : $"{text} ({LibraryMessage})";
    }
}
