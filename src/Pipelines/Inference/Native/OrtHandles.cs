using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// Owns one ORT object; each kind below only names the Release function that frees it. A SafeHandle, so the object
/// is released exactly once (on Dispose, or by the finalizer of a handle that was never disposed) and never while a
/// call that uses it is still in flight.
/// </summary>
internal abstract class OrtHandle<TSelf> : SafeHandle
    where TSelf : OrtHandle<TSelf>, new()
{
    protected OrtHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>Takes ownership of a pointer an ORT Create* call returned.</summary>
    internal static TSelf Own(nint pointer)
    {
        var owned = new TSelf();
        owned.SetHandle(pointer);
        return owned;
    }
}

/// <summary>Owns an arena configuration (OrtArenaCfg*).</summary>
internal sealed unsafe class OrtArenaCfgHandle : OrtHandle<OrtArenaCfgHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseArenaCfg(handle);
        return true;
    }
}

/// <summary>Owns the ORT environment (OrtEnv*).</summary>
internal sealed unsafe class OrtEnvHandle : OrtHandle<OrtEnvHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseEnv(handle);
        return true;
    }
}

/// <summary>Owns a memory description (OrtMemoryInfo*).</summary>
internal sealed unsafe class OrtMemoryInfoHandle : OrtHandle<OrtMemoryInfoHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseMemoryInfo(handle);
        return true;
    }
}

/// <summary>Owns a model's metadata (OrtModelMetadata*).</summary>
internal sealed unsafe class OrtModelMetadataHandle : OrtHandle<OrtModelMetadataHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseModelMetadata(handle);
        return true;
    }
}

/// <summary>Owns a loaded model (OrtSession*).</summary>
internal sealed unsafe class OrtSessionHandle : OrtHandle<OrtSessionHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSession(handle);
        return true;
    }
}

/// <summary>Owns session options (OrtSessionOptions*).</summary>
internal sealed unsafe class OrtSessionOptionsHandle : OrtHandle<OrtSessionOptionsHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseSessionOptions(handle);
        return true;
    }
}

/// <summary>Owns an input or output type (OrtTypeInfo*).</summary>
internal sealed unsafe class OrtTypeInfoHandle : OrtHandle<OrtTypeInfoHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseTypeInfo(handle);
        return true;
    }
}

/// <summary>Owns a tensor over our pinned buffer (OrtValue*).</summary>
internal sealed unsafe class OrtValueHandle : OrtHandle<OrtValueHandle>
{
    protected override bool ReleaseHandle()
    {
        OrtApi.Instance.ReleaseValue(handle);
        return true;
    }
}
