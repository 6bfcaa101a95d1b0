using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent models bench PATH [--runs N] [--warmup N] [--threads N] [--providers LIST] [--shape NAME=DIMS ...] [--json]</c>.</summary>
public static class ModelsBenchCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "The .onnx file." };
        var runs = new Option<int>("--runs") { Description = "Timed runs.", DefaultValueFactory = _ => 1000 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first (at least 0.5 s of them unless 0, so the JIT has settled).", DefaultValueFactory = _ => 50 };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: inference.intraOpThreads)." };
        var providers = new Option<string?>("--providers") { Description = "Execution providers in order, e.g. xnnpack,cpu (default: inference.executionProviders).", HelpName = "LIST" };
        var shapes = new Option<string[]>("--shape")
        {
            Description = "An input's shape, e.g. --shape image=1x3x224x224. Repeatable; dynamic dims not given are 1.",
            HelpName = "NAME=DIMS",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var arguments = new ConfigArguments();
        var command = new Command("bench", "Time Run on deterministic pseudo-random inputs: median, p90, p99 and max latency, throughput, managed bytes per run, peak RSS, arena use, providers.");
        command.Arguments.Add(path);
        foreach (var option in new Option[] { runs, warmup, threads, providers, shapes, json })
        {
            command.Options.Add(option);
        }

        arguments.AddTo(command);
        command.SetAction(result => ModelsCommand.Guard(arguments, result, options =>
        {
            var runCount = result.GetValue(runs);
            var warmupCount = result.GetValue(warmup);
            if (runCount < 1 || warmupCount < 0)
            {
                throw new ModelsCommand.UsageException("--runs must be at least 1 and --warmup at least 0");
            }

            var load = new ModelLoadOptions
            {
                Shapes = ParseShapes(result.GetValue(shapes) ?? []),
                IntraOpThreads = result.GetValue(threads),
                ExecutionProviders = result.GetValue(providers) is { } list
                    ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : null,
            };
            using var runtime = InferenceRuntime.Create(options, StderrLogger.Instance);
            using var session = runtime.LoadModel(result.GetValue(path)!, load);
            var measured = ModelBench.Measure(session, runCount, warmupCount);
            var threadCount = load.IntraOpThreads ?? options.IntraOpThreads;
            if (result.GetValue(json))
            {
                WriteJson(runtime, session, measured, threadCount);
            }
            else
            {
                WriteText(runtime, session, measured, threadCount);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static Dictionary<string, long[]> ParseShapes(IEnumerable<string> values)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.LastIndexOf('=');
            var dims = equals > 0 ? value[(equals + 1)..].Split('x', 'X', ',') : [];
            if (equals <= 0 || dims.Length == 0 || !dims.All(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0))
            {
                throw new ModelsCommand.UsageException($"--shape '{value}' is not NAME=DIMS with positive dims, e.g. image=1x3x224x224");
            }

            shapes[value[..equals]] = dims.Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();
        }

        return shapes;
    }

    private static void WriteText(InferenceRuntime runtime, ModelSession session, BenchResult r, int threads)
    {
        var o = Console.Out;
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"model:        {Path.GetFullPath(session.Path)}");
        o.WriteLine($"inputs:       {string.Join(", ", session.Inputs)}");
        o.WriteLine($"runtime:      ONNX Runtime {runtime.Version}; providers used: {string.Join(", ", session.Providers)}; intra-op threads: {(threads == 0 ? "default" : threads.ToString(c))}");
        o.WriteLine($"load:         {session.LoadTime.TotalMilliseconds.ToString("0.0", c)} ms (session creation {session.CreationTime.TotalMilliseconds.ToString("0.0", c)} ms){(session.LoadedFromCache ? " (from the optimised-model cache)" : string.Empty)}");
        o.WriteLine($"runs:         {r.Runs} timed after {r.Warmup} warm-up");
        o.WriteLine(string.Create(c, $"latency µs:   median {r.MedianMicros:0.0}  p90 {r.P90Micros:0.0}  p99 {r.P99Micros:0.0}  max {r.MaxMicros:0.0}  mean {r.MeanMicros:0.0}"));
        o.WriteLine(string.Create(c, $"throughput:   {r.RunsPerSecond:0.0} runs/s"));
        o.WriteLine(string.Create(c, $"allocated:    {r.AllocatedBytesPerRun:0.###} managed bytes per run"));
        o.WriteLine(string.Create(c, $"peak RSS:     {r.PeakRssBytes / (1024.0 * 1024.0):0.0} MiB"));
        var inUse = runtime.ArenaBytesInUse;
        o.WriteLine(inUse is null ? "arena:        per-session (inference.arena.enabled=false)" : string.Create(c, $"arena:        {inUse.Value / 1024.0:0.0} KiB in use of {runtime.ArenaBudgetBytes / (1024.0 * 1024.0):0} MiB"));
    }

    private static void WriteJson(InferenceRuntime runtime, ModelSession session, BenchResult r, int threads)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout))
        {
            w.WriteStartObject();
            w.WriteString("model", Path.GetFullPath(session.Path));
            w.WriteNumber("runs", r.Runs);
            w.WriteNumber("warmup", r.Warmup);
            w.WriteNumber("median_us", Math.Round(r.MedianMicros, 3));
            w.WriteNumber("p90_us", Math.Round(r.P90Micros, 3));
            w.WriteNumber("p99_us", Math.Round(r.P99Micros, 3));
            w.WriteNumber("max_us", Math.Round(r.MaxMicros, 3));
            w.WriteNumber("mean_us", Math.Round(r.MeanMicros, 3));
            w.WriteNumber("throughput_per_s", Math.Round(r.RunsPerSecond, 1));
            w.WriteNumber("allocated_bytes_per_run", r.AllocatedBytesPerRun);
            w.WriteNumber("peak_rss_bytes", r.PeakRssBytes);
            if (runtime.ArenaBytesInUse is { } inUse)
            {
                w.WriteNumber("arena_bytes_in_use", inUse);
                w.WriteNumber("arena_budget_bytes", runtime.ArenaBudgetBytes);
            }

            w.WriteNumber("intra_op_threads", threads);
            w.WriteNumber("load_ms", Math.Round(session.LoadTime.TotalMilliseconds, 3));
            w.WriteNumber("session_create_ms", Math.Round(session.CreationTime.TotalMilliseconds, 3));
            w.WriteBoolean("loaded_from_cache", session.LoadedFromCache);
            w.WriteString("ort_version", runtime.Version);
            ModelsInspectCommand.WriteStrings(w, "providers", session.Providers);
            ModelsInspectCommand.WriteTensors(w, "inputs", session.Inputs);
            w.WriteEndObject();
        }

        stdout.WriteByte((byte)'\n');
    }
}
