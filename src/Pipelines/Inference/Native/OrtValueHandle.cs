using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns a tensor over our pinned buffer (OrtValue*); released with ReleaseValue.</summary>
internal sealed unsafe class OrtValueHandle : SafeHandle
{
    public OrtValueHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtValueHandle Own(nint pointer)
    {
        var owned = new OrtValueHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseValue(handle);
        return true;
    }
}
