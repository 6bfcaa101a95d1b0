using System.Runtime.InteropServices;

namespace EdgeAgent.Mqtt.Native;

/// <summary><c>struct mosquitto_message</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct MosquittoMessage
{
    public int mid;
    public byte* topic;
    public void* payload;
    public int payloadlen;
    public int qos;
    public byte retain;
}
