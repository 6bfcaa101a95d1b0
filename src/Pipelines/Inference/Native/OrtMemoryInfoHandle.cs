using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns a memory description (OrtMemoryInfo*); released with ReleaseMemoryInfo.</summary>
internal sealed unsafe class OrtMemoryInfoHandle : SafeHandle
{
    public OrtMemoryInfoHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtMemoryInfoHandle Own(nint pointer)
    {
        var owned = new OrtMemoryInfoHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseMemoryInfo(handle);
        return true;
    }
}
