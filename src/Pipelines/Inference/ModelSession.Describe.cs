using EdgeAgent.Pipelines.Inference.Native;

namespace EdgeAgent.Pipelines.Inference;

public sealed partial class ModelSession
{
    /// <summary>
    /// Creates a session only to read the graph's signatures and metadata, then releases it: no tensors are bound
    /// and nothing runs, so no input shape has to be guessed (and no optimised-model cache entry is written).
    /// </summary>
    internal static ModelDescription Describe(InferenceRuntime runtime, string path, ModelLoadOptions load)
    {
        var header = OnnxFileProbe.Read(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        NativeSession native;
        List<string> used;
        try
        {
            (native, used) = CreateWithFallback(runtime, fullPath, load, EffectiveProviders(load.ExecutionProviders ?? runtime.Options.ExecutionProviders), cache: null);
        }
        catch (OrtException ex)
        {
            throw ModelErrors.Classify(runtime, path, ex, "loading");
        }

        using (native)
        {
            var ort = native.Metadata();
            var metadata = new ModelMetadata(header.IrVersion, header.Opsets, ort.Producer.Length > 0 ? ort.Producer : header.Producer,
                header.ProducerVersion, ort.GraphName, ort.Domain, ort.Description, ort.Version, ort.Custom);
            return new ModelDescription(path, metadata, [.. native.Inputs().Select(DescribeTensor)], [.. native.Outputs().Select(DescribeTensor)], used);
        }
    }

    private static TensorDescription DescribeTensor(TensorSignature signature) =>
        new(signature.Name, signature.ElementType,
            "[" + string.Join(", ", signature.Dimensions.Select((d, i) => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : signature.Symbols[i] ?? "?")) + "]",
            [.. signature.Dimensions.Select(d => d > 0 ? d : -1)]);
}
