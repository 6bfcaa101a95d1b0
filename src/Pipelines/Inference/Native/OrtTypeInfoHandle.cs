using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns an input or output type (OrtTypeInfo*); released with ReleaseTypeInfo.</summary>
internal sealed unsafe class OrtTypeInfoHandle : SafeHandle
{
    public OrtTypeInfoHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtTypeInfoHandle Own(nint pointer)
    {
        var owned = new OrtTypeInfoHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTypeInfo(handle);
        return true;
    }
}
