using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns session options (OrtSessionOptions*); released with ReleaseSessionOptions.</summary>
internal sealed unsafe class OrtSessionOptionsHandle : SafeHandle
{
    public OrtSessionOptionsHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtSessionOptionsHandle Own(nint pointer)
    {
        var owned = new OrtSessionOptionsHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSessionOptions(handle);
        return true;
    }
}
