using System.Runtime.InteropServices;

namespace EdgeAgent.Mqtt.Native;

/// <summary>Owns one <c>struct mosquitto</c>; released with <c>mosquitto_destroy</c>.</summary>
internal sealed unsafe class MosquittoHandle : SafeHandle
{
    public MosquittoHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        LibMosquitto.mosquitto_destroy(handle);
        return true;
    }
}
