using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns an arena configuration (OrtArenaCfg*); released with ReleaseArenaCfg.</summary>
internal sealed unsafe class OrtArenaCfgHandle : SafeHandle
{
    public OrtArenaCfgHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtArenaCfgHandle Own(nint pointer)
    {
        var owned = new OrtArenaCfgHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseArenaCfg(handle);
        return true;
    }
}
