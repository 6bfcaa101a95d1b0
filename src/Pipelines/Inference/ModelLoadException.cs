namespace EdgeAgent.Pipelines.Inference;

/// <summary>A model file could not be loaded or prepared; the message names the file, the reason and the fix.</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException(string filePath, ModelLoadFailure reason, string message, Exception? inner = null)
        : base($"model '{filePath}': {message}", inner)
    {
        FilePath = filePath;
        Reason = reason;
    }

    public string FilePath { get; }

    public ModelLoadFailure Reason { get; }
}
