using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// An OrtSession plus what Run needs, laid out once in native memory: the UTF-8 input and output names here, the
/// OrtValue* arrays of the tensors over our pinned buffers in a <see cref="NativeBinding"/>. Run is then one call.
/// </summary>
internal sealed unsafe partial class NativeSession : IDisposable
{
    private readonly OrtApi _api;
    private readonly OrtSessionHandle _session;
    private readonly nint _rawSession;
    private NativeStrings? _inputNames;
    private NativeStrings? _outputNames;

    private NativeSession(OrtApi api, OrtSessionHandle session)
    {
        _api = api;
        _session = session;
        _rawSession = session.DangerousGetHandle();
    }

    public static NativeSession Create(NativeEnvironment environment, string path, NativeSessionOptions options)
    {
        var api = environment.Api;
        nint session;
        fixed (byte* p = Utf8Z.From(path))
        {
            OrtStatus.ThrowIfFailed(api.CreateSession(environment.Env.DangerousGetHandle(), p, options.Handle.DangerousGetHandle(), &session));
        }

        return new NativeSession(api, OrtSessionHandle.Own(session));
    }

    /// <summary>An OrtValue over <paramref name="length"/> bytes of <paramref name="pinned"/> from <paramref name="offset"/>; the caller keeps the array alive (it is on the pinned heap).</summary>
    public OrtValueHandle CreateTensor(NativeEnvironment environment, byte[] pinned, int offset, int length, long[] shape, TensorElementType type)
    {
        nint value;
        fixed (long* dims = shape)
        {
            var data = (void*)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, offset);
            OrtStatus.ThrowIfFailed(_api.CreateTensorWithDataAsOrtValue(
                environment.CpuMemory.DangerousGetHandle(), data, (nuint)length, dims, (nuint)shape.Length, (int)type, &value));
        }

        return OrtValueHandle.Own(value);
    }

    /// <summary>Runs once with ORT allocating the outputs, and reports their element types and shapes.</summary>
    public (TensorElementType Type, long[] Shape)[] ProbeOutputs(string[] inputNames, OrtValueHandle[] inputs, string[] outputNames)
    {
        var names = new NativeStrings(inputNames.Concat(outputNames).ToArray());
        var inputValues = stackalloc nint[Math.Max(1, inputs.Length)];
        var outputValues = stackalloc nint[Math.Max(1, outputNames.Length)];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputValues[i] = inputs[i].DangerousGetHandle();
        }

        for (var i = 0; i < outputNames.Length; i++)
        {
            outputValues[i] = 0;
        }

        try
        {
            OrtStatus.ThrowIfFailed(_api.Run(_rawSession, 0, names.Pointers, inputValues, (nuint)inputs.Length,
                names.Pointers + inputs.Length, (nuint)outputNames.Length, outputValues));
            var result = new (TensorElementType, long[])[outputNames.Length];
            for (var i = 0; i < outputNames.Length; i++)
            {
                nint info;
                OrtStatus.ThrowIfFailed(_api.GetTensorTypeAndShape(outputValues[i], &info));
                try
                {
                    result[i] = (ElementType(info), Dimensions(info));
                }
                finally
                {
                    _api.ReleaseTensorTypeAndShapeInfo(info);
                }
            }

            return result;
        }
        finally
        {
            for (var i = 0; i < outputNames.Length; i++)
            {
                if (outputValues[i] != 0)
                {
                    _api.ReleaseValue(outputValues[i]);
                }
            }

            names.Dispose();
        }
    }

    /// <summary>Lays out the input and output names Run takes, in the order of every binding's values.</summary>
    public void SetNames(string[] inputNames, string[] outputNames)
    {
        _inputNames?.Dispose();
        _outputNames?.Dispose();
        _inputNames = new NativeStrings(inputNames);
        _outputNames = new NativeStrings(outputNames);
    }

    /// <summary>The hot path: one native call, no managed allocation unless ORT reports an error.</summary>
    public void Run(NativeBinding binding)
    {
        var status = _api.Run(_rawSession, 0, _inputNames!.Pointers, binding.Inputs, binding.InputCount, _outputNames!.Pointers, binding.OutputCount, binding.Outputs);
        if (status != 0)
        {
            OrtStatus.ThrowIfFailed(status);
        }
    }

    /// <summary>Stops profiling and returns the JSON file ORT wrote.</summary>
    public string EndProfiling()
    {
        var allocator = DefaultAllocator();
        byte* path;
        OrtStatus.ThrowIfFailed(_api.SessionEndProfiling(_rawSession, allocator, &path));
        return TakeString(allocator, path);
    }

    public void Dispose()
    {
        _inputNames?.Dispose();
        _outputNames?.Dispose();
        _session.Dispose();
    }

    private nint DefaultAllocator()
    {
        nint allocator;
        OrtStatus.ThrowIfFailed(_api.GetAllocatorWithDefaultOptions(&allocator));
        return allocator;
    }

    private string TakeString(nint allocator, byte* text)
    {
        var result = OrtApi.Utf8(text);
        if (text is not null)
        {
            OrtStatus.ThrowIfFailed(_api.AllocatorFree(allocator, text));
        }

        return result;
    }
}
