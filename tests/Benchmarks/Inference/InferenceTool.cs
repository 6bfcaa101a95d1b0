using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Tests.Inference;

namespace EdgeAgent.Benchmarks.Inference;

/// <summary>The verbs run-inference-bench.sh drives: write the model files, time our binding, compare QDQ with float.</summary>
public static class InferenceTool
{
    public static int WriteModels(string directory)
    {
        Directory.CreateDirectory(directory);
        TestModels.Add(64).Save(Path.Combine(directory, "add64.onnx"));
        TestModels.SmallCnn(64).Save(Path.Combine(directory, "cnn.onnx"));
        TestModels.SmallCnnQdq(64).Save(Path.Combine(directory, "cnn_qdq.onnx"));
        TestModels.FoldableWeights(1024).Save(Path.Combine(directory, "foldable.onnx"));
        return 0;
    }

    /// <summary><c>latency MODEL RUNS WARMUP THREADS</c>: the same loop and statistics as the C and node harnesses.</summary>
    public static int Latency(string[] args)
    {
        var (model, runs, warmup, threads) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture),
            int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        using var runtime = InferenceRuntime.Create(new InferenceOptions { IntraOpThreads = threads, InterOpThreads = 1 });
        using var session = runtime.LoadModel(model);
        foreach (var input in session.Inputs)
        {
            Fill(input.AsSpan<float>(), 42);
        }

        // Also warm up for at least a second: tiered compilation promotes the loop ~100 ms after start and does
        // one-time bookkeeping on this thread (seen as ~6 KB allocated in 1 of 15 short processes otherwise).
        var warmupStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < warmup || Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < 1; i++)
        {
            session.Run();
        }

        var micros = new double[runs];
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < runs; i++)
        {
            // Raw timestamps: TimeSpan would round to 100 ns, too coarse for a 2 µs call.
            var start = Stopwatch.GetTimestamp();
            session.Run();
            micros[i] = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Array.Sort(micros);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"impl\":\"dotnet\",\"runs\":{runs},\"median_us\":{micros[runs / 2]:0.###},\"p90_us\":{micros[(int)(runs * 0.9)]:0.###},\"p99_us\":{micros[(int)(runs * 0.99)]:0.###},\"allocated_bytes\":{allocated}}}"));
        return 0;
    }

    /// <summary><c>accuracy DIR</c>: the int8 QDQ CNN against the float CNN on 200 pseudo-random inputs.</summary>
    public static int Accuracy(string directory)
    {
        using var runtime = InferenceRuntime.Create(new InferenceOptions { IntraOpThreads = 1 });
        using var single = runtime.LoadModel(Path.Combine(directory, "cnn.onnx"));
        using var quantized = runtime.LoadModel(Path.Combine(directory, "cnn_qdq.onnx"));
        double maxError = 0, sumError = 0, sumMagnitude = 0;
        var agree = 0;
        const int samples = 200;
        for (var s = 0; s < samples; s++)
        {
            Fill(single.Input("input").AsSpan<float>(), 1000 + s);
            single.Input("input").AsSpan<float>().CopyTo(quantized.Input("input").AsSpan<float>());
            single.Run();
            quantized.Run();
            var expected = single.Output("scores").AsSpan<float>();
            var actual = quantized.Output("scores").AsSpan<float>();
            for (var i = 0; i < expected.Length; i++)
            {
                var error = Math.Abs(expected[i] - actual[i]);
                maxError = Math.Max(maxError, error);
                sumError += error;
                sumMagnitude += Math.Abs(expected[i]);
            }

            agree += ArgMax(expected) == ArgMax(actual) ? 1 : 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"samples\":{samples},\"max_abs_error\":{maxError:0.#####},\"mean_abs_error\":{sumError / (samples * 4):0.#####},\"mean_abs_score\":{sumMagnitude / (samples * 4):0.#####},\"top1_agreement\":{(double)agree / samples:0.###}}}"));
        return 0;
    }

    public static void Fill(Span<float> values, int seed)
    {
        var random = new Random(seed);
        foreach (ref var v in values)
        {
            v = (float)(random.NextDouble() * 2 - 1);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
