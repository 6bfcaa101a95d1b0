using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeAgent.Benchmarks.Camera;
using EdgeAgent.Benchmarks.Inference;

// Default: BenchmarkDotNet over every benchmark class. The extra verbs are whole-process measurements used by the
// scripts beside this file (side-by-side inference comparison, camera load probe).
return args.FirstOrDefault() switch
{
    "write-models" => InferenceTool.WriteModels(args[1]),
    "latency" => InferenceTool.Latency(args[1..]),
    "accuracy" => InferenceTool.Accuracy(args[1]),
    "camera-load" => await CameraLoad(),
    "camera-events" => await CameraPipelineProbe.EventsAsync(Arg(args, 1, 1000)),
    "camera-pipeline" when args.Contains("--recording") => await CameraPipelineProbe.RecordingAsync(Arg(args, 2, 3), Arg(args, 3, 8)),
    "camera-pipeline" when args.Contains("--interleaved") => await CameraPipelineProbe.InterleavedAsync(args[1], Arg(args, 2, 60), Arg(args, 3, 250)),
    "camera-pipeline" when args.Contains("--shadow") => CameraPipelineProbe.Shadow(Arg(args, 2, 30), Arg(args, 3, 20)),
    "camera-pipeline" when args.Contains("--paired") => await CameraPipelineProbe.PairedAsync(args[1], Arg(args, 2, 20), Arg(args, 3, 2)),
    "camera-pipeline" => await CameraPipelineProbe.RunAsync(args[1], Arg(args, 2, 3), Arg(args, 3, 5)),
    "ota-shadow" => EdgeAgent.Benchmarks.Ota.OtaShadowProbe.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200),
    "sensor-overhead" => EdgeAgent.Benchmarks.Pipelines.SensorOverheadProbe.Run(args.Length > 1 ? args[1] : "config/edgeagent.json", args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 9, args.Contains("--metrics")),
    "vibration" => EdgeAgent.Benchmarks.Pipelines.VibrationProbe.Run(Arg(args, 1, 9), args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10),
    "ota-swap" => await EdgeAgent.Benchmarks.Ota.OtaSwapProbe.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100, args.Contains("--baseline")),
    _ => Run(args),
};

static int Arg(string[] args, int index, int fallback) =>
    args.Length > index ? int.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;

static async Task<int> CameraLoad()
{
    await CameraLoadProbe.RunAsync();
    return 0;
}

static int Run(string[] args)
{
    // In-process: a generated out-of-process project would inherit the repository's central package management and
    // warnings-as-errors, and the benchmarks need nothing a separate process gives.
    var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    BenchmarkSwitcher.FromAssembly(typeof(InferenceBenchmarks).Assembly).Run(args, config);
    return 0;
}
