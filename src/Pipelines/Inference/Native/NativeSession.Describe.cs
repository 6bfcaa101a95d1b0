using System.Globalization;

namespace EdgeAgent.Pipelines.Inference.Native;

// What a session says about itself: inputs, outputs, metadata, allocator counters (cold paths).
internal sealed unsafe partial class NativeSession
{
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
                    if (long.TryParse(OrtApi.Utf8(values[i]), CultureInfo.InvariantCulture, out var number))
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
}
