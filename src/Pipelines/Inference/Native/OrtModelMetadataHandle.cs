using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Owns a model's metadata (OrtModelMetadata*); released with ReleaseModelMetadata.</summary>
internal sealed unsafe class OrtModelMetadataHandle : SafeHandle
{
    public OrtModelMetadataHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    internal static OrtModelMetadataHandle Own(nint pointer)
    {
        var owned = new OrtModelMetadataHandle();
        owned.SetHandle(pointer);
        return owned;
    }

    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseModelMetadata(handle);
        return true;
    }
}
