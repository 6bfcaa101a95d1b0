using System.Diagnostics;

namespace EdgeAgent.Benchmarks.Ota;

/// <summary>
/// The shadow's per-window cost measured side by side on a busy machine: blocks of windows alternate between the
/// pipeline alone, with a shadow candidate, and two whole pipelines (the <see cref="ShadowBenchmarks"/> set-up), so
/// load changes hit all three alike; medians of the per-window block times, and bytes allocated per window.
/// </summary>
public static class OtaShadowProbe
{
    private const int Block = 200;

    public static int Run(int rounds)
    {
        var bench = new ShadowBenchmarks();
        bench.Setup();
        Func<int>[] methods = [bench.Window_active_only, bench.Window_with_shadow, bench.Window_two_pipelines];
        string[] names = ["active only", "with shadow", "two pipelines"];
        var times = names.Select(_ => new List<double>(rounds)).ToArray();
        var allocated = new long[names.Length];
        for (var round = -10; round < rounds; round++)
        {
            for (var m = 0; m < methods.Length; m++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < Block; i++)
                {
                    methods[m]();
                }

                var elapsed = Stopwatch.GetElapsedTime(start).TotalMicroseconds / Block;
                var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
                if (round >= 0)
                {
                    // Rounds below 0 warm up (JIT tiers, ORT's first runs).
                    times[m].Add(elapsed);
                    allocated[m] += bytes;
                }
            }
        }

        bench.Cleanup();
        var medians = times.Select(t => t.Order().ElementAt(t.Count / 2)).ToArray();
        Console.WriteLine($"{rounds} rounds of {Block} windows per variant, interleaved");
        for (var m = 0; m < names.Length; m++)
        {
            Console.WriteLine($"{names[m],-14} median {medians[m]:0.00} us/window, p90 {times[m].Order().ElementAt(times[m].Count * 9 / 10):0.00} us, " +
                $"ratio {medians[m] / medians[0]:0.00}, allocated {(double)allocated[m] / (rounds * Block):0.###} B/window");
        }

        var ratios = times[1].Zip(times[0], (s, a) => s / a).Order().ToList();
        Console.WriteLine($"with shadow / active only, per round: median {ratios[ratios.Count / 2]:0.00}, p10 {ratios[ratios.Count / 10]:0.00}, p90 {ratios[ratios.Count * 9 / 10]:0.00}");
        return allocated[1] == 0 ? 0 : 1;
    }
}
