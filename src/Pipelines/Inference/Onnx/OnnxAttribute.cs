using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Onnx;

/// <summary>A node attribute (AttributeProto).</summary>
public sealed class OnnxAttribute
{
    private readonly Action<ProtoWriter> _write;

    private OnnxAttribute(string name, Action<ProtoWriter> write)
    {
        Name = name;
        _write = write;
    }

    public string Name { get; }

    public static OnnxAttribute Int(string name, long value) =>
        new(name, w => w.Varint(OnnxFields.Attribute.I, value).Varint(OnnxFields.Attribute.Type, OnnxFields.Attribute.TypeInt));

    public static OnnxAttribute Float(string name, float value) =>
        new(name, w => w.Float(OnnxFields.Attribute.F, value).Varint(OnnxFields.Attribute.Type, OnnxFields.Attribute.TypeFloat));

    public static OnnxAttribute String(string name, string value) =>
        new(name, w => w.Bytes(OnnxFields.Attribute.S, System.Text.Encoding.UTF8.GetBytes(value)).Varint(OnnxFields.Attribute.Type, OnnxFields.Attribute.TypeString));

    public static OnnxAttribute Ints(string name, params long[] values) =>
        new(name, w => w.PackedVarints(OnnxFields.Attribute.Ints, values).Varint(OnnxFields.Attribute.Type, OnnxFields.Attribute.TypeInts));

    public static OnnxAttribute Floats(string name, params float[] values) =>
        new(name, w => w.PackedFloats(OnnxFields.Attribute.Floats, values).Varint(OnnxFields.Attribute.Type, OnnxFields.Attribute.TypeFloats));

    /// <summary>A tensor-valued attribute (e.g. Constant's <c>value</c>).</summary>
    public static OnnxAttribute Tensor<T>(string name, TensorElementType type, long[] dims, T[] data)
        where T : unmanaged =>
        new(name, w => w.Message(OnnxFields.Attribute.T, OnnxModelBuilder.TensorProto(null, type, dims, MemoryMarshal.AsBytes(data.AsSpan())))
            .Varint(OnnxFields.Attribute.Type, OnnxFields.Attribute.TypeTensor));

    internal ProtoWriter ToProto()
    {
        var writer = new ProtoWriter().String(OnnxFields.Attribute.Name, Name);
        _write(writer);
        return writer;
    }
}
