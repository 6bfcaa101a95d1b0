using System.Diagnostics;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

public sealed class MotionFilterTests : IDisposable
{
    private const int Width = 160;
    private const int Height = 120;
    private const int Fps = 10;
    private readonly TempDirectory _temp = new("edgeagent-motion");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void An_object_appearing_and_leaving_is_motion_and_the_noisy_static_scene_around_it_is_not()
    {
        var frames = Decode("smptebars=size=160x120:rate=10:duration=6,noise=alls=6:allf=t," +
                            "drawbox=x=60:y=40:w=40:h=30:color=white:t=fill:enable='between(t,2,4)'");
        var filter = new MotionFilter(Width, Height, CameraPixelFormat.Rgb24, new MotionFilterOptions
        {
            Enabled = true, Downscale = 4, PixelThreshold = 25, MinChangedArea = 0.02, BackgroundLearningRate = 0.2, ForceEverySeconds = 0,
        });

        var motion = new List<bool>();
        for (var i = 0; i < frames.Count; i++)
        {
            filter.Evaluate(frames[i], i * Stopwatch.Frequency / Fps);
            motion.Add(filter.Motion);
        }

        motion.Should().HaveCount(60);
        motion.Take(20).Should().AllBeEquivalentTo(false, "the scene is static apart from sensor noise before the object");
        motion.Skip(20).Take(3).Should().AllBeEquivalentTo(true, "the object appears at 2 s");
        motion.Skip(32).Take(8).Should().AllBeEquivalentTo(false, "the background has learned the object");
        motion.Skip(41).Take(2).Should().AllBeEquivalentTo(true, "the object leaves after 4 s (between() includes its end)");
        motion.Skip(52).Should().AllBeEquivalentTo(false);
    }

    [Fact]
    public void A_static_scene_is_skipped_except_the_first_frame_and_the_periodic_one()
    {
        var frames = Decode("smptebars=size=160x120:rate=10:duration=3,noise=alls=6:allf=t");
        var filter = new MotionFilter(Width, Height, CameraPixelFormat.Rgb24, new MotionFilterOptions { Enabled = true, ForceEverySeconds = 1 });

        var passed = new List<int>();
        for (var i = 0; i < frames.Count; i++)
        {
            if (filter.Evaluate(frames[i], i * Stopwatch.Frequency / Fps))
            {
                passed.Add(i);
            }
        }

        passed.Should().Equal(0, 10, 20);
        filter.FramesSkipped.Should().Be(27);
        filter.ChangedFraction.Should().BeLessThan(0.01f);
    }

    [Fact]
    public void Evaluating_a_frame_allocates_nothing()
    {
        var frame = new byte[640 * 480 * 3];
        new Random(3).NextBytes(frame);
        var filter = new MotionFilter(640, 480, CameraPixelFormat.Rgb24, new MotionFilterOptions { Enabled = true });
        filter.Evaluate(frame, 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i <= 50; i++)
        {
            frame[i * 1000] ^= 0xFF;
            filter.Evaluate(frame, i);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private List<byte[]> Decode(string lavfiGraph)
    {
        var raw = _temp.Combine("frames.rgb");
        FfmpegTool.Run("-f", "lavfi", "-i", lavfiGraph, "-f", "rawvideo", "-pix_fmt", "rgb24", raw);
        var bytes = File.ReadAllBytes(raw);
        var size = Width * Height * 3;
        return Enumerable.Range(0, bytes.Length / size).Select(i => bytes[(i * size)..((i + 1) * size)]).ToList();
    }
}
