using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// Hands out the process-wide <see cref="InferenceRuntime"/>, created on first use: an agent whose pipelines use no
/// model never loads ONNX Runtime.
/// </summary>
public sealed class InferenceRuntimeProvider : IDisposable
{
    private readonly Lazy<InferenceRuntime> _runtime;

    public InferenceRuntimeProvider(InferenceOptions options, ILogger<InferenceRuntime> logger)
    {
        _runtime = new Lazy<InferenceRuntime>(() => InferenceRuntime.Create(options, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public bool IsCreated => _runtime.IsValueCreated;

    /// <summary>The runtime; the first call loads the library (and throws a StartupException when it cannot).</summary>
    public InferenceRuntime Runtime => _runtime.Value;

    public void Dispose()
    {
        if (_runtime.IsValueCreated)
        {
            _runtime.Value.Dispose();
        }
    }
}
