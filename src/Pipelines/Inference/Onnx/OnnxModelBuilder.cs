using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Inference.Onnx;

/// <summary>
/// Writes ONNX models (ModelProto) from code: inputs and outputs with fixed or dynamic dims, initializers, nodes,
/// opset imports and metadata. Enough for tests, benchmarks and on-device calibration models; not a full ONNX API.
/// Tensor data is written as raw_data, little-endian as the spec requires (all targets we ship are little-endian).
/// </summary>
public sealed class OnnxModelBuilder
{
    /// <summary>IR version 8 with opset 17: what the Debian python3-onnx checker and ORT 1.30 both accept.</summary>
    public const long DefaultIrVersion = 8;
    public const long DefaultOpset = 17;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal) { [string.Empty] = DefaultOpset };
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private int _nodeCount;

    public OnnxModelBuilder(string graphName = "graph")
    {
        GraphName = graphName;
    }

    public string GraphName { get; }

    public long IrVersion { get; set; } = DefaultIrVersion;

    public string ProducerName { get; set; } = "edgeagent";

    public string ProducerVersion { get; set; } = "0.1.0";

    public string DocString { get; set; } = string.Empty;

    public long ModelVersion { get; set; } = 1;

    /// <summary>Imports an operator set (empty domain = ai.onnx).</summary>
    public OnnxModelBuilder Opset(string domain, long version)
    {
        _opsets[domain] = version;
        return this;
    }

    public OnnxModelBuilder Metadata(string key, string value)
    {
        _metadata[key] = value;
        return this;
    }

    public OnnxModelBuilder Input(string name, TensorElementType type, params OnnxDim[] dims)
    {
        _inputs.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>A graph output; <paramref name="dims"/> null leaves the shape to ORT's inference.</summary>
    public OnnxModelBuilder Output(string name, TensorElementType type, params OnnxDim[]? dims)
    {
        _outputs.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxModelBuilder Initializer<T>(string name, TensorElementType type, long[] dims, T[] data)
        where T : unmanaged
    {
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (data.Length != expected)
        {
            throw new ArgumentException($"initializer '{name}' has {data.Length} elements, its dims [{string.Join('x', dims)}] need {expected}", nameof(data));
        }

        _initializers.Add(TensorProto(name, type, dims, MemoryMarshal.AsBytes(data.AsSpan())));
        return this;
    }

    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes) =>
        Node(opType, string.Empty, inputs, outputs, attributes);

    public OnnxModelBuilder Node(string opType, string domain, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.String(OnnxFields.Node.Input, input);
        }

        foreach (var output in outputs)
        {
            node.String(OnnxFields.Node.Output, output);
        }

        node.String(OnnxFields.Node.Name, $"{opType}_{_nodeCount++}").String(OnnxFields.Node.OpType, opType);
        foreach (var attribute in attributes)
        {
            node.Message(OnnxFields.Node.Attribute, attribute.ToProto());
        }

        if (domain.Length > 0)
        {
            node.String(OnnxFields.Node.Domain, domain);
        }

        _nodes.Add(node);
        return this;
    }

    public byte[] ToBytes()
    {
        var graph = new ProtoWriter();
        foreach (var node in _nodes)
        {
            graph.Message(OnnxFields.Graph.Node, node);
        }

        graph.String(OnnxFields.Graph.Name, GraphName);
        foreach (var initializer in _initializers)
        {
            graph.Message(OnnxFields.Graph.Initializer, initializer);
        }

        foreach (var input in _inputs)
        {
            graph.Message(OnnxFields.Graph.Input, input);
        }

        foreach (var output in _outputs)
        {
            graph.Message(OnnxFields.Graph.Output, output);
        }

        var model = new ProtoWriter()
            .Varint(OnnxFields.Model.IrVersion, IrVersion)
            .String(OnnxFields.Model.ProducerName, ProducerName)
            .String(OnnxFields.Model.ProducerVersion, ProducerVersion)
            .Varint(OnnxFields.Model.ModelVersion, ModelVersion);
        if (DocString.Length > 0)
        {
            model.String(OnnxFields.Model.DocString, DocString);
        }

        model.Message(OnnxFields.Model.Graph, graph);
        foreach (var (domain, version) in _opsets)
        {
            var opset = new ProtoWriter();
            if (domain.Length > 0)
            {
                opset.String(OnnxFields.OperatorSetId.Domain, domain);
            }

            model.Message(OnnxFields.Model.OpsetImport, opset.Varint(OnnxFields.OperatorSetId.Version, version));
        }

        foreach (var (key, value) in _metadata)
        {
            model.Message(OnnxFields.Model.MetadataProps, new ProtoWriter().String(OnnxFields.StringStringEntry.Key, key).String(OnnxFields.StringStringEntry.Value, value));
        }

        return model.ToArray();
    }

    /// <summary>Writes the model to <paramref name="path"/> and returns the path.</summary>
    public string Save(string path)
    {
        File.WriteAllBytes(path, ToBytes());
        return path;
    }

    internal static ProtoWriter TensorProto(string? name, TensorElementType type, long[] dims, ReadOnlySpan<byte> raw)
    {
        var tensor = new ProtoWriter().PackedVarints(OnnxFields.Tensor.Dims, dims).Varint(OnnxFields.Tensor.DataType, (long)type);
        if (name is not null)
        {
            tensor.String(OnnxFields.Tensor.Name, name);
        }

        return tensor.Bytes(OnnxFields.Tensor.RawData, raw);
    }

    private static ProtoWriter ValueInfo(string name, TensorElementType type, OnnxDim[]? dims)
    {
        var tensorType = new ProtoWriter().Varint(OnnxFields.TypeProto.TensorElemType, (long)type);
        if (dims is not null)
        {
            var shape = new ProtoWriter();
            foreach (var dim in dims)
            {
                var d = new ProtoWriter();
                if (dim.Value > 0)
                {
                    d.Varint(OnnxFields.TensorShape.DimValue, dim.Value);
                }
                else if (dim.Symbol is not null)
                {
                    d.String(OnnxFields.TensorShape.DimParam, dim.Symbol);
                }

                shape.Message(OnnxFields.TensorShape.Dim, d);
            }

            tensorType.Message(OnnxFields.TypeProto.TensorShape, shape);
        }

        return new ProtoWriter()
            .String(OnnxFields.ValueInfo.Name, name)
            .Message(OnnxFields.ValueInfo.Type, new ProtoWriter().Message(OnnxFields.TypeProto.TensorType, tensorType));
    }
}
