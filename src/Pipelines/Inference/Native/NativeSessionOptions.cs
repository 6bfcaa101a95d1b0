namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>Builds an OrtSessionOptions; each setter throws <see cref="OrtException"/> on ORT's refusal.</summary>
internal sealed unsafe class NativeSessionOptions : IDisposable
{
    private readonly OrtApi _api;

    public NativeSessionOptions(OrtApi api)
    {
        _api = api;
        nint options;
        OrtStatus.ThrowIfFailed(api.CreateSessionOptions(&options));
        Handle = OrtSessionOptionsHandle.Own(options);
    }

    public OrtSessionOptionsHandle Handle { get; }

    private nint Raw => Handle.DangerousGetHandle();

    public void SetGraphOptimizationLevel(int level) => OrtStatus.ThrowIfFailed(_api.SetSessionGraphOptimizationLevel(Raw, level));

    public void SetExecutionMode(bool parallel) => OrtStatus.ThrowIfFailed(_api.SetSessionExecutionMode(Raw, parallel ? 1 : 0));

    public void SetThreads(int intraOp, int interOp)
    {
        OrtStatus.ThrowIfFailed(_api.SetIntraOpNumThreads(Raw, intraOp));
        OrtStatus.ThrowIfFailed(_api.SetInterOpNumThreads(Raw, interOp));
    }

    public void SetLogSeverity(int level) => OrtStatus.ThrowIfFailed(_api.SetSessionLogSeverityLevel(Raw, level));

    public void SetOptimizedModelFilePath(string path)
    {
        fixed (byte* p = Utf8Z.From(path))
        {
            OrtStatus.ThrowIfFailed(_api.SetOptimizedModelFilePath(Raw, p));
        }
    }

    public void EnableProfiling(string filePrefix)
    {
        fixed (byte* p = Utf8Z.From(filePrefix))
        {
            OrtStatus.ThrowIfFailed(_api.EnableProfiling(Raw, p));
        }
    }

    public void AddConfigEntry(string key, string value)
    {
        fixed (byte* k = Utf8Z.From(key))
        fixed (byte* v = Utf8Z.From(value))
        {
            OrtStatus.ThrowIfFailed(_api.AddSessionConfigEntry(Raw, k, v));
        }
    }

    /// <summary>Appends an execution provider; returns ORT's error message, or null when it was accepted.</summary>
    public string? TryAppendProvider(string ortName, IReadOnlyDictionary<string, string> settings)
    {
        var keys = settings.Keys.Select(Utf8Z.From).ToArray();
        var values = settings.Values.Select(Utf8Z.From).ToArray();
        var handles = keys.Concat(values).Select(b => System.Runtime.InteropServices.GCHandle.Alloc(b, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            var keyPointers = stackalloc byte*[Math.Max(1, keys.Length)];
            var valuePointers = stackalloc byte*[Math.Max(1, values.Length)];
            for (var i = 0; i < keys.Length; i++)
            {
                keyPointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                valuePointers[i] = (byte*)handles[keys.Length + i].AddrOfPinnedObject();
            }

            nint status = ortName switch
            {
                "CUDA" => AppendCuda(),
                "TensorRT" => AppendTensorRt(),
                "OpenVINO" => _api.SessionOptionsAppendExecutionProvider_OpenVINO_V2(Raw, keyPointers, valuePointers, (nuint)keys.Length),
                _ => AppendByName(ortName, keyPointers, valuePointers, keys.Length),
            };
            return status == 0 ? null : OrtStatus.Consume(status).Message;
        }
        finally
        {
            foreach (var handle in handles)
            {
                handle.Free();
            }
        }
    }

    public void Dispose() => Handle.Dispose();

    private nint AppendByName(string ortName, byte** keys, byte** values, int count)
    {
        fixed (byte* name = Utf8Z.From(ortName))
        {
            return _api.SessionOptionsAppendExecutionProvider(Raw, name, keys, values, (nuint)count);
        }
    }

    // CUDA and TensorRT have no by-name entry; their V2 option objects with defaults are enough to start them.
    private nint AppendCuda()
    {
        nint cudaOptions;
        var status = _api.CreateCUDAProviderOptions(&cudaOptions);
        if (status != 0)
        {
            return status;
        }

        status = _api.SessionOptionsAppendExecutionProvider_CUDA_V2(Raw, cudaOptions);
        _api.ReleaseCUDAProviderOptions(cudaOptions);
        return status;
    }

    private nint AppendTensorRt()
    {
        nint trtOptions;
        var status = _api.CreateTensorRTProviderOptions(&trtOptions);
        if (status != 0)
        {
            return status;
        }

        status = _api.SessionOptionsAppendExecutionProvider_TensorRT_V2(Raw, trtOptions);
        _api.ReleaseTensorRTProviderOptions(trtOptions);
        return status;
    }
}
