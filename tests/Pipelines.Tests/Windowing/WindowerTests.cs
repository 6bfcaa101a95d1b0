using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Windowing;

public sealed class WindowerTests
{
    private static readonly long T0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static long At(double seconds) => T0 + (long)(seconds * TimeSpan.TicksPerSecond);

    private static List<(long Start, long End, double[][] Channels)> Feed(Windower windower, IEnumerable<Sample> samples)
    {
        var window = windower.CreateWindowData();
        var result = new List<(long, long, double[][])>();
        foreach (var sample in samples)
        {
            windower.Push(sample);
            while (windower.TryGetWindow(window))
            {
                result.Add((window.StartTicks, window.EndTicks, [.. Enumerable.Range(0, window.Channels).Select(c => window.Channel(c).ToArray())]));
            }
        }

        return result;
    }

    [Fact]
    public void Sample_windows_slide_by_the_hop()
    {
        var windower = new Windower(new WindowOptions { Size = 4, Hop = 2 }, [ChannelRange.Any]);
        var windows = Feed(windower, Enumerable.Range(0, 10).Select(i => new Sample(At(i), 0, i)));
        windows.Select(w => w.Channels[0]).Should().BeEquivalentTo(
            new[] { new double[] { 0, 1, 2, 3 }, [2, 3, 4, 5], [4, 5, 6, 7], [6, 7, 8, 9] }, o => o.WithStrictOrdering());
        windows[1].Start.Should().Be(At(2));
        windows[1].End.Should().Be(At(5));
        windower.Counters.Windows.Should().Be(4);
    }

    [Fact]
    public void Time_windows_cover_size_seconds_every_hop_seconds()
    {
        var windower = new Windower(new WindowOptions { Unit = WindowUnit.Seconds, Size = 2, Hop = 1, MaxSamples = 100 }, [ChannelRange.Any]);
        var windows = Feed(windower, Enumerable.Range(0, 20).Select(i => new Sample(At(i * 0.25), 0, i)));

        // Each window holds (end - 2 s, end]: 8 samples at 4 Hz.
        windows.Should().NotBeEmpty();
        windows.Should().OnlyContain(w => w.Channels[0].Length == 8);
        windows.Zip(windows.Skip(1)).Should().OnlyContain(p => p.Second.End - p.First.End == TimeSpan.TicksPerSecond);
    }

    [Fact]
    public void Channels_are_aligned_holding_the_last_value_within_the_tolerance()
    {
        var windower = new Windower(new WindowOptions { Size = 3, Hop = 3, ToleranceSeconds = 1.5 }, [ChannelRange.Any, ChannelRange.Any]);

        // Channel 1 reports every 2 s, slightly late; channel 0 every second.
        var samples = new List<Sample>();
        for (var i = 0; i < 7; i++)
        {
            samples.Add(new Sample(At(i), 0, i));
            if (i % 2 == 0)
            {
                samples.Add(new Sample(At(i + 0.1), 1, 100 + i));
            }
        }

        var windows = Feed(windower, samples);
        windows.Should().HaveCount(2);
        windows[0].Channels[0].Should().Equal(0, 1, 2);
        windows[0].Channels[1].Should().Equal(100, 100, 102);
        windows[1].Channels[1].Should().Equal(102, 104, 104);
        windower.Counters.StaleChannels.Should().Be(0);
    }

    [Fact]
    public void A_channel_silent_beyond_the_tolerance_is_not_filled_in_and_breaks_the_window()
    {
        var windower = new Windower(new WindowOptions { Size = 2, Hop = 1, ToleranceSeconds = 1.5 }, [ChannelRange.Any, ChannelRange.Any]);
        var samples = new List<Sample> { new(At(0), 1, 50) };
        samples.AddRange(Enumerable.Range(0, 8).Select(i => new Sample(At(i), 0, i)));
        var windows = Feed(windower, samples);

        // Channel 1 spoke once, at 0 s: frames at 0 s and 1 s may hold it; from 2 s on it is stale.
        windows.Should().ContainSingle();
        windows[0].Channels[0].Should().Equal(0, 1);
        windows[0].Channels[1].Should().Equal(50, 50);
        windower.Counters.StaleChannels.Should().Be(5, "frames 2..6 were dropped (7 is still pending)");
    }

    [Fact]
    public void A_gap_longer_than_the_limit_ends_the_window_and_is_counted()
    {
        var windower = new Windower(new WindowOptions { Size = 3, Hop = 1, MaxGapSeconds = 5 }, [ChannelRange.Any]);
        double[] times = [0, 1, 2, 3, 20, 21, 22, 23];
        var windows = Feed(windower, times.Select((t, i) => new Sample(At(t), 0, i)));
        windows.Select(w => w.Channels[0]).Should().BeEquivalentTo(new[] { new double[] { 0, 1, 2 }, [1, 2, 3], [4, 5, 6], [5, 6, 7] }, o => o.WithStrictOrdering());
        windower.Counters.Gaps.Should().Be(1);
    }

    [Fact]
    public void Out_of_range_nan_and_late_samples_are_rejected_and_counted()
    {
        var windower = new Windower(new WindowOptions { Size = 3, Hop = 3, ToleranceSeconds = 0 }, [new ChannelRange(0, 100)]);
        var windows = Feed(windower,
        [
            new(At(0), 0, 1), new(At(1), 0, -5), new(At(2), 0, double.NaN), new(At(3), 0, 2), new(At(4), 0, 500),
            new(At(2.5), 0, 7), new(At(5), 0, double.PositiveInfinity), new(At(6), 0, 3),
        ]);
        windows.Single().Channels[0].Should().Equal(1, 2, 3);
        windower.Counters.OutOfRange.Should().Be(2);
        windower.Counters.NonFinite.Should().Be(2);
        windower.Counters.Late.Should().Be(1);
    }

    [Fact]
    public void Windowing_allocates_nothing_per_sample()
    {
        var windower = new Windower(new WindowOptions { Size = 64, Hop = 16 }, [ChannelRange.Any, ChannelRange.Any]);
        var window = windower.CreateWindowData();
        var count = 0;
        void Run(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                windower.Push(new Sample(At(i * 0.01), 0, i));
                windower.Push(new Sample(At(i * 0.01), 1, -i));
                while (windower.TryGetWindow(window))
                {
                    count++;
                }
            }
        }

        Run(0, 200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(200, 20_200);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        count.Should().BeGreaterThan(1000);
    }
}
