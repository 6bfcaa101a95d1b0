using System.CommandLine;
using System.Text.Json;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent models inspect PATH [--json]</c>: reads the graph's signatures and metadata without running the model,
/// so a model whose dynamic dimensions cannot all be 1 (Silero VAD's [batch, samples]) is inspected like any other.
/// Dynamic dimensions show as their symbolic names (text) or -1 (JSON <c>shape</c>).
/// </summary>
public static class ModelsInspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "The .onnx file." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var arguments = new ConfigArguments();
        var command = new Command("inspect", "Show a model's inputs, outputs, element types, shapes, opsets, producer, metadata, and the providers this ONNX Runtime has.");
        command.Arguments.Add(path);
        command.Options.Add(json);
        arguments.AddTo(command);
        command.SetAction(result => ModelsCommand.Guard(arguments, result, options =>
        {
            using var runtime = InferenceRuntime.Create(options, StderrLogger.Instance);
            var session = runtime.Describe(result.GetValue(path)!);
            if (result.GetValue(json))
            {
                WriteJson(runtime, session);
            }
            else
            {
                WriteText(runtime, session);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void WriteText(InferenceRuntime runtime, ModelDescription session)
    {
        var m = session.Metadata;
        var o = Console.Out;
        o.WriteLine($"model:      {Path.GetFullPath(session.Path)} ({new FileInfo(session.Path).Length} bytes)");
        o.WriteLine($"producer:   {m.Producer} {m.ProducerVersion}".TrimEnd());
        o.WriteLine($"format:     ONNX IR {m.IrVersion}; opsets {string.Join(", ", m.Opsets.Select(p => $"{p.Key} {p.Value}"))}");
        o.WriteLine($"graph:      {m.GraphName} (model version {m.ModelVersion}){(m.Description.Length > 0 ? ": " + m.Description : string.Empty)}");
        foreach (var (key, value) in m.Properties)
        {
            o.WriteLine($"metadata:   {key} = {value}");
        }

        o.WriteLine("inputs:");
        foreach (var t in session.Inputs)
        {
            o.WriteLine($"  {t.Name}  {TensorElementTypes.Name(t.ElementType)}  {t.DeclaredShape}");
        }

        o.WriteLine("outputs:");
        foreach (var t in session.Outputs)
        {
            o.WriteLine($"  {t.Name}  {TensorElementTypes.Name(t.ElementType)}  {t.DeclaredShape}");
        }

        o.WriteLine($"runtime:    ONNX Runtime {runtime.Version} ({runtime.LibraryPath})");
        o.WriteLine($"providers:  available in this build: {string.Join(", ", runtime.AvailableProviders)}; this session uses: {string.Join(", ", session.Providers)}");
    }

    private static void WriteJson(InferenceRuntime runtime, ModelDescription session)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
        {
            var m = session.Metadata;
            w.WriteStartObject();
            w.WriteString("path", Path.GetFullPath(session.Path));
            w.WriteNumber("ir_version", m.IrVersion);
            w.WriteStartObject("opsets");
            foreach (var (domain, version) in m.Opsets)
            {
                w.WriteNumber(domain, version);
            }

            w.WriteEndObject();
            w.WriteString("producer", m.Producer);
            w.WriteString("producer_version", m.ProducerVersion);
            w.WriteString("graph", m.GraphName);
            w.WriteString("description", m.Description);
            w.WriteNumber("model_version", m.ModelVersion);
            w.WriteStartObject("metadata");
            foreach (var (key, value) in m.Properties)
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
            WriteTensors(w, "inputs", session.Inputs);
            WriteTensors(w, "outputs", session.Outputs);
            w.WriteString("ort_version", runtime.Version);
            w.WriteString("runtime_library", runtime.LibraryPath);
            WriteStrings(w, "available_providers", runtime.AvailableProviders);
            WriteStrings(w, "providers", session.Providers);
            w.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }

    internal static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<TensorBuffer> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            WriteTensor(w, t.Name, t.ElementType, t.DeclaredShape, t.Shape);
        }

        w.WriteEndArray();
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<TensorDescription> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            WriteTensor(w, t.Name, t.ElementType, t.DeclaredShape, [.. t.Dimensions]);
        }

        w.WriteEndArray();
    }

    // One tensor's entry, whether it comes from a loaded session (bench) or from the graph alone (inspect).
    private static void WriteTensor(Utf8JsonWriter w, string name, TensorElementType type, string declaredShape, ReadOnlySpan<long> shape)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("type", TensorElementTypes.Name(type));
        w.WriteString("declared_shape", declaredShape);
        w.WriteStartArray("shape");
        foreach (var d in shape)
        {
            w.WriteNumberValue(d);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
