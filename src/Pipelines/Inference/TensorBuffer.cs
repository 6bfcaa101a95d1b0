using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeAgent.Pipelines.Inference.Native;

namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// One model input or output: a buffer on the pinned heap that ORT reads from or writes into directly, created once
/// at load. Write inputs and read outputs through <see cref="AsSpan{T}"/>; nothing is copied per run.
/// </summary>
public sealed class TensorBuffer : IDisposable
{
    // ORT's own allocator aligns tensors to 64 bytes and MLAS kernels run their fastest paths on aligned data.
    private const int Alignment = 64;
    private readonly byte[] _data;
    private readonly int _offset;

    internal TensorBuffer(string name, TensorElementType elementType, long[] shape, long[] declared, string?[] symbols, NativeSession session, NativeEnvironment environment)
    {
        Name = name;
        DeclaredShape = "[" + string.Join(", ", declared.Select((d, i) => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : symbols[i] ?? "?")) + "]";
        ElementType = elementType;
        ShapeArray = shape;
        Symbols = symbols;
        ElementCount = shape.Aggregate(1L, (a, b) => checked(a * b));
        var bytes = checked((int)(ElementCount * TensorElementTypes.SizeOf(elementType)));
        _data = GC.AllocateArray<byte>(bytes + Alignment, pinned: true);
        _offset = AlignedOffset(_data);
        ByteCount = bytes;
        Value = session.CreateTensor(environment, _data, _offset, bytes, shape, elementType);
    }

    public string Name { get; }

    public TensorElementType ElementType { get; }

    /// <summary>The shape this buffer was created with, dynamic dims resolved.</summary>
    public ReadOnlySpan<long> Shape => ShapeArray;

    /// <summary>The shape the model declares, dynamic dims by name (or <c>?</c>), e.g. <c>[N, 3, 224, 224]</c>.</summary>
    public string DeclaredShape { get; }

    /// <summary>The model's names for dynamic dims (null where the dim is fixed or unnamed).</summary>
    public IReadOnlyList<string?> Symbols { get; }

    public long ElementCount { get; }

    public int ByteCount { get; }

    internal long[] ShapeArray { get; }

    /// <summary>True when the leading dim is the batch: dynamic in the model and sized by the batch at load.</summary>
    internal bool IsBatched { get; set; }

    internal OrtValueHandle Value { get; }

    /// <summary>Another OrtValue over the same buffer with the leading dim set to <paramref name="rows"/>.</summary>
    internal OrtValueHandle ValueForRows(NativeSession session, NativeEnvironment environment, long rows)
    {
        var shape = (long[])ShapeArray.Clone();
        shape[0] = rows;
        var bytes = checked((int)(shape.Aggregate(1L, (a, b) => a * b) * TensorElementTypes.SizeOf(ElementType)));
        return session.CreateTensor(environment, _data, _offset, bytes, shape, ElementType);
    }

    /// <summary>The elements as <typeparamref name="T"/>, which must match <see cref="ElementType"/> (float, byte, sbyte, short, ushort, int, uint, long, ulong, Half, bool, double).</summary>
    public Span<T> AsSpan<T>()
        where T : unmanaged
    {
        if (!TensorElementTypes.Matches<T>(ElementType))
        {
            ThrowTypeMismatch(typeof(T));
        }

        return MemoryMarshal.Cast<byte, T>(_data.AsSpan(_offset, ByteCount));
    }

    /// <summary>The raw bytes, whatever the element type.</summary>
    public Span<byte> AsBytes() => _data.AsSpan(_offset, ByteCount);

    public override string ToString() => $"{Name}: {TensorElementTypes.Name(ElementType)}[{string.Join('x', ShapeArray)}]";

    public void Dispose() => Value.Dispose();

    // The array is on the pinned heap, so the address (and the offset that aligns it) never changes.
    private static unsafe int AlignedOffset(byte[] pinned)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
        return (int)((Alignment - (address % Alignment)) % Alignment);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowTypeMismatch(Type requested) =>
        throw new InvalidOperationException($"tensor '{Name}' holds {TensorElementTypes.Name(ElementType)}, not {requested.Name}; use AsSpan<{TensorElementTypes.ClrName(ElementType)}>().");
}
