using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeAgent.Benchmarks.Inference;

// Default: BenchmarkDotNet over every benchmark class. The inference script also uses the extra verbs below to
// run its side-by-side comparison on the same model files as the C and onnxruntime-node harnesses.
return args.FirstOrDefault() switch
{
    "write-models" => InferenceTool.WriteModels(args[1]),
    "latency" => InferenceTool.Latency(args[1..]),
    "accuracy" => InferenceTool.Accuracy(args[1]),
    _ => Run(args),
};

static int Run(string[] args)
{
    // In-process: a generated out-of-process project would inherit the repository's central package management and
    // warnings-as-errors, and the benchmarks need nothing a separate process gives.
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    BenchmarkSwitcher.FromAssembly(typeof(InferenceBenchmarks).Assembly).Run(args, config);
    return 0;
}
