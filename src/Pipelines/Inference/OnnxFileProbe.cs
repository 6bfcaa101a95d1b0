using Google.Protobuf;

namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// Reads the top level of an ONNX file (ModelProto) before ORT sees it: tells a missing, truncated or non-ONNX file
/// apart (ORT's own message for all three is a bare protobuf parse failure) and finds what ORT does not report:
/// IR version, opset imports, producer version.
/// </summary>
public static class OnnxFileProbe
{
    // ModelProto field numbers (onnx.proto).
    private const int IrVersion = 1;
    private const int ProducerName = 2;
    private const int ProducerVersion = 3;
    private const int Domain = 4;
    private const int ModelVersion = 5;
    private const int DocString = 6;
    private const int Graph = 7;
    private const int OpsetImport = 8;
    private const int MetadataProps = 14;
    private const int TrainingInfo = 20;
    private const int Functions = 25;
    private const int Configuration = 26;

    public static ModelHeader Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, ModelLoadFailure.NotFound,
                Directory.Exists(path) ? "is a directory, not an .onnx file" : "does not exist. Fix: check the path, or deploy the model there.");
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (stream.Length == 0)
            {
                throw new ModelLoadException(path, ModelLoadFailure.Truncated, "is empty (0 bytes). Fix: copy the model again.");
            }

            return Parse(path, new CodedInputStream(stream));
        }
        catch (InvalidProtocolBufferException ex) when (ex.Message.Contains("ended unexpectedly", StringComparison.Ordinal))
        {
            throw new ModelLoadException(path, ModelLoadFailure.Truncated,
                $"is truncated ({new FileInfo(path).Length} bytes; the file ends inside a field). Fix: copy the model again and compare its checksum.", ex);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new ModelLoadException(path, ModelLoadFailure.NotOnnx, $"is not an ONNX model ({ex.Message}). Fix: export the model to .onnx.", ex);
        }
        catch (IOException ex)
        {
            throw new ModelLoadException(path, ModelLoadFailure.Unreadable, $"cannot be read: {ex.Message}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ModelLoadException(path, ModelLoadFailure.Unreadable, $"cannot be read: {ex.Message}. Fix: give the agent's user read access.", ex);
        }
    }

    private static ModelHeader Parse(string path, CodedInputStream input)
    {
        long irVersion = 0;
        var producer = string.Empty;
        var producerVersion = string.Empty;
        var hasGraph = false;
        var opsets = new Dictionary<string, long>(StringComparer.Ordinal);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var field = WireFormat.GetTagFieldNumber(tag);
            var wire = WireFormat.GetTagWireType(tag);
            switch (field)
            {
                case IrVersion when wire == WireFormat.WireType.Varint:
                    irVersion = input.ReadInt64();
                    break;
                case ProducerName when wire == WireFormat.WireType.LengthDelimited:
                    producer = input.ReadString();
                    break;
                case ProducerVersion when wire == WireFormat.WireType.LengthDelimited:
                    producerVersion = input.ReadString();
                    break;
                case OpsetImport when wire == WireFormat.WireType.LengthDelimited:
                    var (domain, version) = ReadOpset(input.ReadBytes());
                    opsets[domain.Length == 0 ? "ai.onnx" : domain] = version;
                    break;
                case Graph when wire == WireFormat.WireType.LengthDelimited:
                    hasGraph = true;
                    input.SkipLastField();
                    break;
                case Domain or DocString or MetadataProps or TrainingInfo or Functions or Configuration when wire == WireFormat.WireType.LengthDelimited:
                case ModelVersion when wire == WireFormat.WireType.Varint:
                    input.SkipLastField();
                    break;
                default:
                    throw new ModelLoadException(path, ModelLoadFailure.NotOnnx,
                        $"is not an ONNX model (unexpected field {field} of wire type {wire} at the top level). Fix: export the model to .onnx.");
            }
        }

        if (!hasGraph || irVersion <= 0)
        {
            throw new ModelLoadException(path, ModelLoadFailure.NotOnnx,
                hasGraph ? "has no ir_version; it is not a complete ONNX model." : "has no graph; it is not an ONNX model (or it is truncated before the graph).");
        }

        return new ModelHeader(irVersion, producer, producerVersion, opsets);
    }

    private static (string Domain, long Version) ReadOpset(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        var domain = string.Empty;
        long version = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    domain = input.ReadString();
                    break;
                case 2:
                    version = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return (domain, version);
    }
}
