using Google.Protobuf;

namespace EdgeAgent.Pipelines.Inference.Onnx;

/// <summary>Writes one protobuf message field by field (CodedOutputStream); nested messages are written first and embedded as bytes.</summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public ProtoWriter()
    {
        _output = new CodedOutputStream(_buffer, leaveOpen: true);
    }

    public ProtoWriter Varint(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter PackedVarints(int field, IReadOnlyCollection<long> values)
    {
        if (values.Count == 0)
        {
            return this;
        }

        var packed = new ProtoWriter();
        foreach (var value in values)
        {
            packed._output.WriteInt64(value);
        }

        return Bytes(field, packed.ToArray());
    }

    public ProtoWriter PackedFloats(int field, IReadOnlyCollection<float> values)
    {
        if (values.Count == 0)
        {
            return this;
        }

        var packed = new ProtoWriter();
        foreach (var value in values)
        {
            packed._output.WriteFloat(value);
        }

        return Bytes(field, packed.ToArray());
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }
}
