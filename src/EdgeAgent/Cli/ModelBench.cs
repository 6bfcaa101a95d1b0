using System.Diagnostics;
using System.Globalization;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Cli;

/// <summary>Times <see cref="ModelSession.Run"/>: deterministic inputs, warm-up, per-run latencies, managed bytes allocated.</summary>
internal static class ModelBench
{
    public static BenchResult Measure(ModelSession session, int runs, int warmup)
    {
        Fill(session);

        // At least half a second of warm-up as well: tiered compilation promotes the loop ~100 ms after start and
        // does one-time bookkeeping on this thread, which would otherwise show up as bytes allocated per run.
        var warmupStart = Stopwatch.GetTimestamp();
        for (var i = 0; i < warmup || (warmup > 0 && Stopwatch.GetElapsedTime(warmupStart).TotalSeconds < 0.5); i++)
        {
            session.Run();
        }

        var ticks = new long[runs];
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < runs; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            session.Run();
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Array.Sort(ticks);
        double Micros(long t) => t * 1_000_000.0 / Stopwatch.Frequency;
        double Percentile(double p) => Micros(ticks[Math.Min(runs - 1, (int)Math.Ceiling(p * runs) - 1)]);
        return new BenchResult(
            runs,
            warmup,
            Percentile(0.5),
            Percentile(0.9),
            Percentile(0.99),
            Micros(ticks[^1]),
            ticks.Average(t => Micros(t)),
            runs / elapsed.TotalSeconds,
            (double)allocated / runs,
            PeakRssBytes());
    }

    /// <summary>Deterministic pseudo-random data of each input's type (the same every run of the benchmark).</summary>
    public static void Fill(ModelSession session)
    {
        var random = new Random(42);
        foreach (var input in session.Inputs)
        {
            switch (input.ElementType)
            {
                case TensorElementType.Float:
                    foreach (ref var v in input.AsSpan<float>())
                    {
                        v = (float)(random.NextDouble() * 2 - 1);
                    }

                    break;
                case TensorElementType.Double:
                    foreach (ref var v in input.AsSpan<double>())
                    {
                        v = random.NextDouble() * 2 - 1;
                    }

                    break;
                case TensorElementType.Float16:
                    foreach (ref var v in input.AsSpan<Half>())
                    {
                        v = (Half)(random.NextDouble() * 2 - 1);
                    }

                    break;
                case TensorElementType.Bool:
                    foreach (ref var v in input.AsSpan<bool>())
                    {
                        v = random.Next(2) == 1;
                    }

                    break;
                case TensorElementType.Int32 or TensorElementType.Int64 or TensorElementType.UInt32 or TensorElementType.UInt64
                    or TensorElementType.Int16 or TensorElementType.UInt16:
                    // Small non-negative integers: integer inputs are often indices, which must stay in range.
                    var bytes = input.AsBytes();
                    bytes.Clear();
                    var size = TensorElementTypes.SizeOf(input.ElementType);
                    for (var i = 0; i < bytes.Length; i += size)
                    {
                        bytes[i] = (byte)random.Next(4);
                    }

                    break;
                default:
                    random.NextBytes(input.AsBytes());
                    break;
            }
        }
    }

    /// <summary>VmHWM: the process's peak resident set, from /proc/self/status.</summary>
    public static long PeakRssBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kib = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}

internal sealed record BenchResult(
    int Runs,
    int Warmup,
    double MedianMicros,
    double P90Micros,
    double P99Micros,
    double MaxMicros,
    double MeanMicros,
    double RunsPerSecond,
    double AllocatedBytesPerRun,
    long PeakRssBytes);
