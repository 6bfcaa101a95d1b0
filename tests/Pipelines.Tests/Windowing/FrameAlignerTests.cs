using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Windowing;

/// <summary>
/// Frames normally go straight from the aligner into the sliding window, and a window is a view of the ring; the
/// general path queues every frame. Both must make the same windows, counters included, whatever the input.
/// </summary>
public sealed class FrameAlignerTests
{
    private const long Second = TimeSpan.TicksPerSecond;
    private static readonly long T0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private sealed record Made(long Start, long End, long[] Ticks, double[][] Channels);

    private static List<Made> Feed(Windower windower, WindowData window, IEnumerable<Sample> samples)
    {
        var made = new List<Made>();
        foreach (var sample in samples)
        {
            windower.Push(sample);
            while (windower.TryGetWindow(window))
            {
                made.Add(new Made(window.StartTicks, window.EndTicks, window.Timestamps.ToArray(),
                    [.. Enumerable.Range(0, window.Channels).Select(c => window.Channel(c).ToArray())]));
            }
        }

        return made;
    }

    /// <summary>
    /// Channel 0 at a jittered rate; the others near its times, sometimes ahead (two frames from one sample), late,
    /// silent long enough to go stale, out of order; NaN, infinite and out-of-range values; silences beyond the gap limit.
    /// <paramref name="calm"/> divides how often each of these happens (long windows need long clean runs).
    /// </summary>
    private static List<Sample> Messy(int seed, int channels, int steps, int calm)
    {
        var random = new Random(seed);
        var samples = new List<Sample>();
        var t = T0;
        var silentUntil = new long[channels];
        for (var i = 0; i < steps; i++)
        {
            t += random.Next(100 * calm) < 2 ? 30 * Second : (long)(Second * (0.5 + random.NextDouble()));
            for (var c = 0; c < channels; c++)
            {
                if (c > 0 && random.Next(100 * calm) < 3)
                {
                    silentUntil[c] = t + (long)(random.NextDouble() * 6 * Second);
                }

                if (t < silentUntil[c] || random.Next(100 * calm) < 5)
                {
                    continue;
                }

                var offset = c == 0 ? 0 : (long)((random.NextDouble() - 0.3) * 2 * Second);
                var roll = random.Next(200 * calm);
                var value = roll switch
                {
                    0 => double.NaN,
                    1 => double.PositiveInfinity,
                    2 => 1e9,
                    _ => (c * 100) + (random.NextDouble() * 10),
                };
                samples.Add(new Sample(t + offset, c, value));
            }

            if (samples.Count > 2 && random.Next(100 * calm) < 4)
            {
                (samples[^1], samples[^2]) = (samples[^2], samples[^1]);
            }

            if (random.Next(100 * calm) < 2)
            {
                samples.Add(new Sample(t - (long)(random.NextDouble() * 5 * Second), random.Next(channels), 1));
            }
        }

        return samples;
    }

    public static TheoryData<int, int, WindowUnit, double, double, int> Cases() => new()
    {
        { 1, 1, WindowUnit.Samples, 4, 1, 1 },
        { 2, 2, WindowUnit.Samples, 8, 3, 1 },
        { 3, 3, WindowUnit.Samples, 5, 5, 1 },
        { 4, 2, WindowUnit.Samples, 64, 16, 10 },
        { 5, 2, WindowUnit.Seconds, 6, 2, 1 },
        { 6, 3, WindowUnit.Seconds, 4.5, 0.5, 1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_direct_path_makes_the_windows_the_queued_path_makes(int seed, int channels, WindowUnit unit, double size, double hop, int calm)
    {
        var options = new WindowOptions { Unit = unit, Size = size, Hop = hop, ToleranceSeconds = 1.2, MaxGapSeconds = 10, MaxSamples = 9 };
        ChannelRange[] ranges = [.. Enumerable.Range(0, channels).Select(c => new ChannelRange(c * 100, (c * 100) + 10))];
        var samples = Messy(seed, channels, calm * 5_000, calm);

        var queued = new Windower(options, ranges, direct: false);
        var direct = new Windower(options, ranges);
        var copied = new Windower(options, ranges);
        var expected = Feed(queued, queued.CreateWindowData(), samples);
        var viewed = Feed(direct, direct.CreateWindowData(), samples);
        var own = Feed(copied, new WindowData(channels, copied.Capacity), samples);

        expected.Should().HaveCountGreaterThan(50);
        viewed.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        own.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        direct.Counters.Should().BeEquivalentTo(queued.Counters);
        copied.Counters.Should().BeEquivalentTo(queued.Counters);
        queued.Counters.Gaps.Should().BePositive();
        queued.Counters.Late.Should().BePositive();
        queued.Counters.NonFinite.Should().BePositive();
        queued.Counters.OutOfRange.Should().BePositive();
        if (channels > 1)
        {
            queued.Counters.StaleChannels.Should().BePositive();
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Frames_pushed_while_a_window_waits_are_queued_behind_it(bool direct)
    {
        // Four frames before the first TryGetWindow: the second completes a window that the two after it must not
        // change; they make the next windows, in order.
        var windower = new Windower(new WindowOptions { Size = 2, Hop = 1 }, [ChannelRange.Any], direct);
        var window = windower.CreateWindowData();
        for (var i = 0; i < 4; i++)
        {
            windower.Push(new Sample(T0 + (i * Second), 0, i));
        }

        var made = new List<double[]>();
        while (windower.TryGetWindow(window))
        {
            made.Add(window.Channel(0).ToArray());
        }

        made.Should().BeEquivalentTo(new[] { new double[] { 0, 1 }, [1, 2], [2, 3] }, o => o.WithStrictOrdering());
    }
}
