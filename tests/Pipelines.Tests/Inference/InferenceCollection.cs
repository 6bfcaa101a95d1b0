using EdgeAgent.Pipelines.Inference;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

/// <summary>
/// ORT has one environment per process and the shared arena is registered on it, so the inference tests run one
/// after another and share one runtime (tests that need other arena settings dispose it first; see ArenaBudgetTests).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InferenceCollection : ICollectionFixture<RuntimeFixture>
{
    public const string Name = "inference";
}

public sealed class RuntimeFixture : IDisposable
{
    private InferenceRuntime? _runtime;

    public InferenceRuntime Runtime => _runtime ??= InferenceRuntime.Create(new InferenceOptions(), Logger);

    public CapturingLogger Logger { get; } = new();

    /// <summary>Releases the shared runtime so a test can create one with its own options.</summary>
    public void Release()
    {
        _runtime?.Dispose();
        _runtime = null;
    }

    public void Dispose() => Release();
}
