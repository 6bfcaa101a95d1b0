using EdgeAgent.Pipelines.Camera.Recording;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera.Recording;

public sealed class SegmentRingTests : IDisposable
{
    private static readonly DateTime Epoch = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _temp = new("edgeagent-ring");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_segment_starts_where_the_one_before_it_was_last_written_and_ends_at_its_own_last_write()
    {
        var ring = new SegmentRing(_temp.Path, new RecordingOptions { Enabled = true });
        Write(0, 2.05, 100);
        Write(2, 4.10, 100);
        Write(10, 12.0, 100); // after a gap: starts at the second in its name

        var segments = ring.List();

        // File times keep 100 ns ticks; the filesystem may round them further.
        segments.Select(s => Math.Round((s.Start - Epoch).TotalSeconds, 2)).Should().Equal(0, 2.05, 10);
        segments.Select(s => Math.Round((s.End - Epoch).TotalSeconds, 2)).Should().Equal(2.05, 4.10, 12.0);
    }

    [Fact]
    public void Pruning_deletes_the_oldest_segments_past_the_age_cap_but_never_the_one_being_written()
    {
        var ring = new SegmentRing(_temp.Path, new RecordingOptions { Enabled = true, MaxAgeSeconds = 10 });
        for (var i = 0; i < 10; i++)
        {
            Write(2 * i, (2 * i) + 2, 10);
        }

        ring.Prune(Epoch.AddSeconds(20));
        // Segments that ended before 20 - 10 s go; the one ending exactly at the cap stays.
        ring.List().Select(s => (s.Start - Epoch).TotalSeconds).Should().Equal(8, 10, 12, 14, 16, 18);
        ring.Deleted.Should().Be(4);

        ring.Prune(Epoch.AddSeconds(1000));
        ring.List().Should().ContainSingle("the newest segment may still be open in ffmpeg");
    }

    [Fact]
    public void Pruning_keeps_the_ring_under_its_size_cap_oldest_first()
    {
        var ring = new SegmentRing(_temp.Path, new RecordingOptions { Enabled = true, MaxMegabytes = 8, MaxAgeSeconds = 3600 });
        for (var i = 0; i < 6; i++)
        {
            Write(2 * i, (2 * i) + 2, 2 * 1024 * 1024);
        }

        ring.Prune(Epoch.AddSeconds(12));

        ring.List().Select(s => (s.Start - Epoch).TotalSeconds).Should().Equal(4, 6, 8, 10);
    }

    [Fact]
    public void Too_little_free_disk_space_starts_ffmpeg_without_the_recording_output_and_is_counted()
    {
        var ring = new SegmentRing(_temp.Path, new RecordingOptions { Enabled = true, MinFreeMegabytes = int.MaxValue });

        ring.OutputArguments().Should().BeEmpty();
        ring.Suspended.Should().Be(1);

        var ok = new SegmentRing(_temp.Combine("ok"), new RecordingOptions { Enabled = true, MinFreeMegabytes = 0 });
        ok.OutputArguments().Should().ContainInOrder("-map", "0:v:0", "-c:v", "copy").And.Contain("segment");
    }

    [Fact]
    public void A_ring_directory_that_cannot_be_created_suspends_recording_instead_of_failing_the_capture()
    {
        File.WriteAllText(_temp.Combine("file"), "not a directory");
        var ring = new SegmentRing(_temp.Combine("file", "ring"), new RecordingOptions { Enabled = true, MinFreeMegabytes = 0 });

        ring.OutputArguments().Should().BeEmpty();
        ring.Suspended.Should().Be(1);
    }

    [Fact]
    public void The_space_check_asks_for_a_restart_to_suspend_recording_on_a_full_disk_and_to_resume_it_when_twice_the_minimum_is_free()
    {
        var options = new RecordingOptions { Enabled = true, MinFreeMegabytes = 0 };
        var ring = new SegmentRing(_temp.Combine("space"), options);
        ring.CheckSpace();
        ring.RestartWanted.Should().BeFalse("nothing to change before ffmpeg first starts");
        ring.OutputArguments().Should().NotBeEmpty();
        ring.Recording.Should().BeTrue();

        // The disk fills up: more than all its free space is now the minimum (this disk's free space is real).
        var free = ring.FreeBytes();
        free.Should().BePositive();
        options.MinFreeMegabytes = (int)Math.Min(100000, (free / (1024 * 1024)) + 1);
        ring.CheckSpace();
        ring.RestartWanted.Should().BeTrue("recording must stop while the disk is under its minimum");
        ring.OutputArguments().Should().BeEmpty();
        (ring.Recording, ring.RestartWanted, ring.Suspended).Should().Be((false, false, 1L));
        ring.CheckSpace();
        ring.RestartWanted.Should().BeFalse("still full: no restart");

        // Space returns.
        options.MinFreeMegabytes = 0;
        ring.CheckSpace();
        ring.RestartWanted.Should().BeTrue("recording resumes once there is room again");
        ring.OutputArguments().Should().NotBeEmpty();
        (ring.Recording, ring.RestartWanted).Should().Be((true, false));
    }

    [Fact]
    public void A_ring_suspended_because_its_directory_cannot_be_made_does_not_restart_every_second_for_free_space()
    {
        File.WriteAllText(_temp.Combine("blocker"), "not a directory");
        var ring = new SegmentRing(_temp.Combine("blocker", "ring"), new RecordingOptions { Enabled = true, MinFreeMegabytes = 0 });

        ring.OutputArguments().Should().BeEmpty();
        ring.CheckSpace();

        ring.RestartWanted.Should().BeFalse();
    }

    private void Write(double startSecond, double endSecond, int bytes)
    {
        var name = ((long)(Epoch.AddSeconds(startSecond) - DateTime.UnixEpoch).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = _temp.Combine(name + SegmentRing.Extension);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, Epoch.AddSeconds(endSecond));
    }
}
