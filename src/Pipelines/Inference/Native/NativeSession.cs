using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// An OrtSession plus what Run needs, laid out once in native memory: the UTF-8 input and output names and the
/// OrtValue* arrays of the tensors over our pinned buffers. <see cref="Run"/> is then a single call.
/// </summary>
internal sealed unsafe class NativeSession : IDisposable
{
    private readonly OrtApi _api;
    private readonly OrtSessionHandle _session;
    private readonly nint _rawSession;
    private OrtValueHandle[] _boundValues = [];
    private NativeStrings? _inputNames;
    private NativeStrings? _outputNames;
    private nint* _inputValues;
    private nint* _outputValues;
    private nuint _inputCount;
    private nuint _outputCount;

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

    public TensorSignature[] Inputs() => Signatures(input: true);

    public TensorSignature[] Outputs() => Signatures(input: false);

    public NativeModelMetadata Metadata()
    {
        nint metadata;
        OrtStatus.ThrowIfFailed(_api.SessionGetModelMetadata(_rawSession, &metadata));
        using var handle = OrtModelMetadataHandle.Own(metadata);
        var allocator = DefaultAllocator();
        long version;
        OrtStatus.ThrowIfFailed(_api.ModelMetadataGetVersion(metadata, &version));
        byte** keys;
        long keyCount;
        OrtStatus.ThrowIfFailed(_api.ModelMetadataGetCustomMetadataMapKeys(metadata, allocator, &keys, &keyCount));
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < keyCount; i++)
        {
            byte* value;
            OrtStatus.ThrowIfFailed(_api.ModelMetadataLookupCustomMetadataMap(metadata, allocator, keys[i], &value));
            custom[OrtApi.Utf8(keys[i])] = TakeString(allocator, value);
            OrtStatus.ThrowIfFailed(_api.AllocatorFree(allocator, keys[i]));
        }

        if (keys is not null)
        {
            OrtStatus.ThrowIfFailed(_api.AllocatorFree(allocator, keys));
        }

        byte* text;
        OrtStatus.ThrowIfFailed(_api.ModelMetadataGetProducerName(metadata, allocator, &text));
        var producer = TakeString(allocator, text);
        OrtStatus.ThrowIfFailed(_api.ModelMetadataGetGraphName(metadata, allocator, &text));
        var graph = TakeString(allocator, text);
        OrtStatus.ThrowIfFailed(_api.ModelMetadataGetDomain(metadata, allocator, &text));
        var domain = TakeString(allocator, text);
        OrtStatus.ThrowIfFailed(_api.ModelMetadataGetDescription(metadata, allocator, &text));
        var description = TakeString(allocator, text);
        return new NativeModelMetadata(producer, graph, domain, description, version, custom);
    }

    /// <summary>An OrtValue over <paramref name="pinned"/>; the caller keeps the array alive (it is on the pinned heap).</summary>
    public OrtValueHandle CreateTensor(NativeEnvironment environment, byte[] pinned, long[] shape, TensorElementType type)
    {
        nint value;
        fixed (long* dims = shape)
        {
            var data = (void*)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
            OrtStatus.ThrowIfFailed(_api.CreateTensorWithDataAsOrtValue(
                environment.CpuMemory.DangerousGetHandle(), data, (nuint)pinned.Length, dims, (nuint)shape.Length, (int)type, &value));
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

    /// <summary>Lays out the names and value pointers Run takes; the handles stay referenced until disposal.</summary>
    public void Bind(string[] inputNames, OrtValueHandle[] inputs, string[] outputNames, OrtValueHandle[] outputs)
    {
        FreeBinding();
        _boundValues = [.. inputs, .. outputs];
        _inputNames = new NativeStrings(inputNames);
        _outputNames = new NativeStrings(outputNames);
        _inputValues = (nint*)NativeMemory.Alloc((nuint)Math.Max(1, inputs.Length), (nuint)sizeof(nint));
        _outputValues = (nint*)NativeMemory.Alloc((nuint)Math.Max(1, outputs.Length), (nuint)sizeof(nint));
        for (var i = 0; i < inputs.Length; i++)
        {
            _inputValues[i] = inputs[i].DangerousGetHandle();
        }

        for (var i = 0; i < outputs.Length; i++)
        {
            _outputValues[i] = outputs[i].DangerousGetHandle();
        }

        _inputCount = (nuint)inputs.Length;
        _outputCount = (nuint)outputs.Length;
    }

    /// <summary>The hot path: one native call, no managed allocation unless ORT reports an error.</summary>
    public void Run()
    {
        var status = _api.Run(_rawSession, 0, _inputNames!.Pointers, _inputValues, _inputCount, _outputNames!.Pointers, _outputCount, _outputValues);
        if (status != 0)
        {
            OrtStatus.ThrowIfFailed(status);
        }
    }

    /// <summary>
    /// Counters of the allocator this session uses for CPU memory (with session.use_env_allocators=1, the shared
    /// arena): InUse, TotalAllocated, Limit, MaxInUse, NumAllocs, NumReserves... Empty when it is not an arena.
    /// </summary>
    public Dictionary<string, long> AllocatorStats(NativeEnvironment environment)
    {
        var stats = new Dictionary<string, long>(StringComparer.Ordinal);
        nint allocator;
        OrtStatus.ThrowIfFailed(_api.CreateAllocator(_rawSession, environment.CpuMemory.DangerousGetHandle(), &allocator));
        try
        {
            nint pairs;
            OrtStatus.ThrowIfFailed(_api.AllocatorGetStats(allocator, &pairs));
            try
            {
                byte** keys;
                byte** values;
                nuint count;
                _api.GetKeyValuePairs(pairs, &keys, &values, &count);
                for (nuint i = 0; i < count; i++)
                {
                    if (long.TryParse(OrtApi.Utf8(values[i]), System.Globalization.CultureInfo.InvariantCulture, out var number))
                    {
                        stats[OrtApi.Utf8(keys[i])] = number;
                    }
                }
            }
            finally
            {
                _api.ReleaseKeyValuePairs(pairs);
            }
        }
        finally
        {
            _api.ReleaseAllocator(allocator);
        }

        return stats;
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
        FreeBinding();
        _session.Dispose();
    }

    private TensorSignature[] Signatures(bool input)
    {
        nuint count;
        OrtStatus.ThrowIfFailed(input ? _api.SessionGetInputCount(_rawSession, &count) : _api.SessionGetOutputCount(_rawSession, &count));
        var allocator = DefaultAllocator();
        var result = new TensorSignature[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            OrtStatus.ThrowIfFailed(input ? _api.SessionGetInputName(_rawSession, i, allocator, &name) : _api.SessionGetOutputName(_rawSession, i, allocator, &name));
            var text = TakeString(allocator, name);
            nint typeInfo;
            OrtStatus.ThrowIfFailed(input ? _api.SessionGetInputTypeInfo(_rawSession, i, &typeInfo) : _api.SessionGetOutputTypeInfo(_rawSession, i, &typeInfo));
            using var typeHandle = OrtTypeInfoHandle.Own(typeInfo);
            int onnxType;
            OrtStatus.ThrowIfFailed(_api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
            if (onnxType != OnnxType.Tensor)
            {
                result[(int)i] = new TensorSignature(text, false, TensorElementType.Undefined, [], []);
                continue;
            }

            nint tensorInfo;
            OrtStatus.ThrowIfFailed(_api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
            var dims = Dimensions(tensorInfo);
            var symbols = new byte*[dims.Length];
            var names = new string?[dims.Length];
            fixed (byte** s = symbols)
            {
                OrtStatus.ThrowIfFailed(_api.GetSymbolicDimensions(tensorInfo, s, (nuint)dims.Length));
            }

            for (var d = 0; d < dims.Length; d++)
            {
                var symbol = OrtApi.Utf8(symbols[d]);
                names[d] = symbol.Length == 0 ? null : symbol;
            }

            result[(int)i] = new TensorSignature(text, true, ElementType(tensorInfo), dims, names);
        }

        return result;
    }

    private TensorElementType ElementType(nint tensorInfo)
    {
        int type;
        OrtStatus.ThrowIfFailed(_api.GetTensorElementType(tensorInfo, &type));
        return (TensorElementType)type;
    }

    private long[] Dimensions(nint tensorInfo)
    {
        nuint rank;
        OrtStatus.ThrowIfFailed(_api.GetDimensionsCount(tensorInfo, &rank));
        var dims = new long[(int)rank];
        fixed (long* d = dims)
        {
            OrtStatus.ThrowIfFailed(_api.GetDimensions(tensorInfo, d, rank));
        }

        return dims;
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

    private void FreeBinding()
    {
        _inputNames?.Dispose();
        _outputNames?.Dispose();
        NativeMemory.Free(_inputValues);
        NativeMemory.Free(_outputValues);
        _inputNames = _outputNames = null;
        _inputValues = _outputValues = null;
        _inputCount = _outputCount = 0;
        _boundValues = [];
    }
}
