using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns a loaded model (OrtSession*); released with ReleaseSession.</summary>
internal sealed unsafe class OrtSessionHandle : SafeHandle
{
    public OrtSessionHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtSessionHandle Own(nint pointer)
    {
        var owned = new OrtSessionHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSession(handle);
        return true;
    }
}
