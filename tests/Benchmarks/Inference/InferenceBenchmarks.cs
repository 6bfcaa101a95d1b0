using BenchmarkDotNet.Attributes;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Benchmarks.Inference;

/// <summary>ModelSession.Run on the benchmark models: the MemoryDiagnoser column must read 0 B (nothing allocated per run).</summary>
[MemoryDiagnoser]
public class InferenceBenchmarks
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeagent-bdn-").FullName;
    private InferenceRuntime? _runtime;
    private ModelSession? _session;

    [Params("add64", "cnn", "cnn_qdq")]
    public string Model { get; set; } = "add64";

    [GlobalSetup]
    public void Setup()
    {
        InferenceTool.WriteModels(_directory);
        _runtime = InferenceRuntime.Create(new InferenceOptions { IntraOpThreads = 1 });
        _session = _runtime.LoadModel(Path.Combine(_directory, Model + ".onnx"));
        foreach (var input in _session.Inputs)
        {
            InferenceTool.Fill(input.AsSpan<float>(), 42);
        }
    }

    [Benchmark]
    public void Run() => _session!.Run();

    [GlobalCleanup]
    public void Cleanup()
    {
        _session?.Dispose();
        _runtime?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
