using System.Numerics;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// Run times in <see cref="System.Diagnostics.Stopwatch"/> ticks, counted in log-spaced buckets (8 per power of two,
/// so a percentile is known within ~9%). Fixed size, no allocation per value: the loop records, another thread reads
/// percentiles (a read racing a write is off by at most that one value).
/// </summary>
public sealed class RunTimeHistogram
{
    private const int SubBuckets = 8;
    private const int SubBits = 3;
    private readonly long[] _counts = new long[SubBuckets * 64];
    private long _total;

    public long Count => Volatile.Read(ref _total);

    public void Add(long ticks)
    {
        _counts[Bucket(Math.Max(ticks, 0))]++;
        Volatile.Write(ref _total, _total + 1);
    }

    /// <summary>The value below which a fraction <paramref name="p"/> of the runs fall (bucket midpoint); 0 when empty.</summary>
    public double Percentile(double p)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Midpoint(i);
            }
        }

        return Midpoint(_counts.Length - 1);
    }

    private static int Bucket(long ticks)
    {
        if (ticks < SubBuckets)
        {
            return (int)ticks;
        }

        var log = BitOperations.Log2((ulong)ticks);
        return ((log - SubBits + 1) * SubBuckets) + (int)((ticks >> (log - SubBits)) & (SubBuckets - 1));
    }

    private static double Midpoint(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        var log = (bucket / SubBuckets) + SubBits - 1;
        var width = 1L << (log - SubBits);
        var low = (1L << log) + ((bucket % SubBuckets) * width);
        return low + (width / 2.0);
    }
}
