namespace EdgeAgent.Pipelines.Inference;

/// <summary>Turns ORT's load and run errors into <see cref="ModelLoadException"/>s with a reason and a fix.</summary>
internal static class ModelErrors
{
    public static bool IsModelProblem(OrtException ex) =>
        ex.Code is OrtErrorCode.InvalidProtobuf or OrtErrorCode.InvalidGraph or OrtErrorCode.NoSuchFile or OrtErrorCode.NotImplemented ||
        IsOutOfMemory(ex);

    public static ModelLoadException Classify(InferenceRuntime runtime, string path, OrtException ex, string stage)
    {
        if (IsOutOfMemory(ex))
        {
            var budget = runtime.ArenaBudgetBytes;
            return new ModelLoadException(path, ModelLoadFailure.OutOfArenaMemory,
                budget > 0
                    ? $"does not fit in the inference arena during {stage}: the budget inference.arena.maxMegabytes={runtime.Options.Arena.MaxMegabytes} MiB is exhausted ({ex.Message}). Fix: raise inference.arena.maxMegabytes, or use a smaller model or batch."
                    : $"ran out of memory during {stage} ({ex.Message}).",
                ex);
        }

        var (reason, fix) = ex.Code switch
        {
            OrtErrorCode.InvalidProtobuf => (ModelLoadFailure.NotOnnx, "Fix: export the model to .onnx again."),
            OrtErrorCode.NotImplemented => (ModelLoadFailure.UnsupportedModel, "Fix: export with an opset and operators ONNX Runtime 1.30 supports, or use an ORT build that has them."),
            OrtErrorCode.InvalidGraph or OrtErrorCode.Fail when ex.Message.Contains("opset", StringComparison.OrdinalIgnoreCase) =>
                (ModelLoadFailure.UnsupportedModel, "Fix: export with an opset ONNX Runtime 1.30 supports."),
            OrtErrorCode.InvalidGraph => (ModelLoadFailure.UnsupportedModel, "Fix: check the model with onnx.checker and export it again."),
            OrtErrorCode.InvalidArgument when stage != "loading" => (ModelLoadFailure.ShapeMismatch, "Fix: give input shapes the model accepts."),
            _ => (ModelLoadFailure.RuntimeError, string.Empty),
        };
        return new ModelLoadException(path, reason, $"ONNX Runtime refused it during {stage}: {ex.Message}. {fix}".TrimEnd(), ex);
    }

    private static bool IsOutOfMemory(OrtException ex) =>
        ex.Message.Contains("Available memory of", StringComparison.Ordinal) ||
        ex.Message.Contains("Failed to allocate memory", StringComparison.OrdinalIgnoreCase) ||
        ex.Message.Contains("bad_alloc", StringComparison.Ordinal) ||
        ex.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase);
}
