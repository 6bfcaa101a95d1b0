using System.Diagnostics;
using EdgeAgent.Pipelines.Inference.Native;

namespace EdgeAgent.Pipelines.Inference;

public sealed partial class ModelSession
{
    private static ModelSession Prepare(InferenceRuntime runtime, string path, NativeSession native, ModelHeader header, ModelLoadOptions load,
        List<string> providers, bool fromCache, long start, TimeSpan creationTime)
    {
        var environment = runtime.Environment;
        CheckArenaBudget(runtime, path, native, "loading its weights");
        var inputSignatures = native.Inputs();
        var outputSignatures = native.Outputs();
        foreach (var name in load.Shapes.Keys.Where(n => inputSignatures.All(s => s.Name != n)))
        {
            throw new ModelLoadException(path, ModelLoadFailure.ShapeMismatch,
                $"has no input named '{name}' for the shape override; its inputs are {string.Join(", ", inputSignatures.Select(s => s.Name))}.");
        }

        var created = new List<TensorBuffer>();
        NativeBinding? binding = null;
        try
        {
            var inputs = new TensorBuffer[inputSignatures.Length];
            for (var i = 0; i < inputs.Length; i++)
            {
                var signature = inputSignatures[i];
                RequireSupported(path, "input", signature);
                inputs[i] = new TensorBuffer(signature.Name, signature.ElementType, ResolveShape(path, signature, load), signature.Dimensions, signature.Symbols, native, environment);
                created.Add(inputs[i]);
            }

            foreach (var signature in outputSignatures)
            {
                RequireSupported(path, "output", signature);
            }

            var inputNames = inputSignatures.Select(s => s.Name).ToArray();
            var outputNames = outputSignatures.Select(s => s.Name).ToArray();
            var inputValues = inputs.Select(t => t.Value).ToArray();

            // Output shapes can depend on the inputs' resolved dims (or on nothing the model declares), so ORT is
            // asked once with the real input shapes; this run doubles as the first warm-up.
            (TensorElementType Type, long[] Shape)[] probed;
            try
            {
                probed = native.ProbeOutputs(inputNames, inputValues, outputNames);
            }
            catch (OrtException ex)
            {
                throw ModelErrors.Classify(runtime, path, ex, "the first run with shapes " + string.Join(", ", inputs.Select(t => t.ToString())));
            }

            var outputs = new TensorBuffer[outputSignatures.Length];
            for (var i = 0; i < outputs.Length; i++)
            {
                outputs[i] = new TensorBuffer(outputNames[i], probed[i].Type, probed[i].Shape, outputSignatures[i].Dimensions, outputSignatures[i].Symbols, native, environment);
                created.Add(outputs[i]);
            }

            var capacity = BatchCapacityOf(inputs, inputSignatures, outputs, outputSignatures);
            native.SetNames(inputNames, outputNames);
            binding = new NativeBinding(inputValues, outputs.Select(t => t.Value).ToArray());
            try
            {
                native.Run(binding);
            }
            catch (OrtException ex)
            {
                throw ModelErrors.Classify(runtime, path, ex, "the warm-up run");
            }

            CheckArenaBudget(runtime, path, native, "the warm-up run");

            var ort = native.Metadata();
            var metadata = new ModelMetadata(header.IrVersion, header.Opsets, ort.Producer.Length > 0 ? ort.Producer : header.Producer,
                header.ProducerVersion, ort.GraphName, ort.Domain, ort.Description, ort.Version, ort.Custom);
            var session = new ModelSession(runtime, path, native, binding, capacity, metadata, inputs, outputs, providers, fromCache, creationTime, Stopwatch.GetElapsedTime(start));
            runtime.Track(session);
            return session;
        }
        catch
        {
            binding?.Dispose();
            foreach (var tensor in created)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    // ORT places initializers with BFCArena::Reserve, which does not check the cap; once reserved bytes pass the
    // limit, the arena's "available" arithmetic wraps and the cap stops applying to anything (measured with ORT 1.30:
    // a 16 MiB weight under an 8 MiB budget, then 50 MiB allocated without error). So the total is checked here,
    // where going over is still a clean load failure rather than an unbounded arena later.
    private static void CheckArenaBudget(InferenceRuntime runtime, string path, NativeSession native, string stage)
    {
        if (!runtime.Environment.HasSharedArena)
        {
            return;
        }

        var stats = native.AllocatorStats(runtime.Environment);
        if (stats.TryGetValue("Limit", out var limit) && limit > 0 && stats.TryGetValue("TotalAllocated", out var total) && total > limit)
        {
            throw new ModelLoadException(path, ModelLoadFailure.OutOfArenaMemory,
                $"does not fit in the inference arena: after {stage} the arena holds {Mebibytes(total)} MiB, more than inference.arena.maxMegabytes={runtime.Options.Arena.MaxMegabytes} MiB " +
                "(this includes every model already loaded). Fix: raise inference.arena.maxMegabytes, or use a smaller (e.g. int8) model or batch.");
        }
    }

    private static string Mebibytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    // The batch a session can run fewer rows of: the leading dim of every input whose leading dim is dynamic, if they
    // agree. Outputs follow when their leading dim is dynamic too and came out at that size.
    private static int BatchCapacityOf(TensorBuffer[] inputs, TensorSignature[] inputSignatures, TensorBuffer[] outputs, TensorSignature[] outputSignatures)
    {
        var batched = inputs.Where((t, i) => inputSignatures[i].Dimensions.Length > 0 && inputSignatures[i].Dimensions[0] <= 0).ToList();
        if (batched.Count == 0 || batched.Any(t => t.ShapeArray[0] != batched[0].ShapeArray[0]) || batched[0].ShapeArray[0] > int.MaxValue)
        {
            return 0;
        }

        var capacity = (int)batched[0].ShapeArray[0];
        batched.ForEach(t => t.IsBatched = true);
        for (var i = 0; i < outputs.Length; i++)
        {
            var declared = outputSignatures[i].Dimensions;
            outputs[i].IsBatched = declared.Length > 0 && declared[0] <= 0 && outputs[i].ShapeArray.Length > 0 && outputs[i].ShapeArray[0] == capacity;
        }

        return capacity;
    }

    private static void RequireSupported(string path, string kind, TensorSignature signature)
    {
        if (!signature.IsTensor || !TensorElementTypes.IsSupported(signature.ElementType))
        {
            throw new ModelLoadException(path, ModelLoadFailure.UnsupportedType,
                $"{kind} '{signature.Name}' is {(signature.IsTensor ? TensorElementTypes.Name(signature.ElementType) + " tensor" : "not a tensor (sequence or map)")}, " +
                "which the agent cannot bind. Fix: export the model with numeric tensor inputs and outputs.");
        }
    }

    private static long[] ResolveShape(string path, TensorSignature signature, ModelLoadOptions load)
    {
        var declared = signature.Dimensions;
        var text = Describe(signature);
        if (load.Shapes.TryGetValue(signature.Name, out var given))
        {
            if (given.Length != declared.Length)
            {
                throw new ModelLoadException(path, ModelLoadFailure.ShapeMismatch,
                    $"input '{signature.Name}' has {declared.Length} dimensions {text}, but the shape override [{string.Join('x', given)}] has {given.Length}.");
            }

            for (var d = 0; d < declared.Length; d++)
            {
                if (given[d] <= 0 || (declared[d] > 0 && declared[d] != given[d]))
                {
                    throw new ModelLoadException(path, ModelLoadFailure.ShapeMismatch,
                        $"input '{signature.Name}' is {text}; the shape override [{string.Join('x', given)}] contradicts dimension {d}.");
                }
            }

            return (long[])given.Clone();
        }

        var shape = new long[declared.Length];
        for (var d = 0; d < declared.Length; d++)
        {
            if (declared[d] > 0)
            {
                shape[d] = declared[d];
            }
            else if (signature.Symbols[d] is { } symbol && load.Dimensions.TryGetValue(symbol, out var value))
            {
                shape[d] = value;
            }
            else
            {
                shape[d] = d == 0 ? load.BatchSize : 1;
            }
        }

        return shape;
    }

    private static string Describe(TensorSignature signature) =>
        "[" + string.Join(", ", signature.Dimensions.Select((d, i) => d > 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : signature.Symbols[i] ?? "?")) + "]";
}
