using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns the ORT environment (OrtEnv*); released with ReleaseEnv.</summary>
internal sealed unsafe class OrtEnvHandle : SafeHandle
{
    public OrtEnvHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtEnvHandle Own(nint pointer)
    {
        var owned = new OrtEnvHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseEnv(handle);
        return true;
    }
}
