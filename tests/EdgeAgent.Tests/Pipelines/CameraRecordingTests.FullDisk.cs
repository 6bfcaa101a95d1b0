using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// A really full disk while recording: the ring, the clips and the snapshots live on a 24 MB tmpfs (mounted by the
/// test, which runs as root) that is filled to the last byte while the camera records, then emptied again.
/// </summary>
public sealed partial class CameraRecordingTests
{
    private string? _disk;

    [Fact]
    public async Task A_full_disk_while_recording_costs_only_the_clips_and_snapshots_counted_and_recording_resumes_when_space_returns()
    {
        var disk = _dir.Combine("disk");
        Directory.CreateDirectory(disk);
        Run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk).Should().Be(0, "the test mounts a small tmpfs (it runs as root)");
        _disk = disk;
        var recording = Path.Combine(disk, "recording");
        var config = await PrepareAsync((root, camera) =>
        {
            root["telemetry"] = new JsonObject { ["intervalSeconds"] = 1 };
            camera["loop"] = true;
            camera["recording"]!["directory"] = recording;
            camera["recording"]!["maxMegabytes"] = 8;
            camera["recording"]!["minFreeMegabytes"] = 2;
            camera["clips"]!["directory"] = Path.Combine(disk, "clips");
            camera["snapshots"] = new JsonObject { ["directory"] = Path.Combine(disk, "snapshots") };
        });

        _broker.Start();
        using var events = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/cam");
        using var telemetry = new MqttSubscriber(_broker.Port, "edgeagent/test-device/telemetry");
        using var agent = AgentProcess.Start(["run", "--config", config]);
        Dictionary<string, long> final;
        try
        {
            await Poll.UntilAsync(() => Segments(recording).Count(s => s.Length > 0) >= 2, TimeSpan.FromSeconds(60), "the ring recording on the small disk");

            // The disk fills up under the running ffmpeg (another writer takes every byte left).
            var filler = Path.Combine(disk, "filler");
            Fill(filler);
            var filled = DateTime.UtcNow;
            new DriveInfo(disk).AvailableFreeSpace.Should().BeLessThan(64 * 1024);

            // Detection goes on: an anomaly starts and ends on the full disk; its snapshot and clip are lost and counted.
            await events.WaitForAsync(m => Types(m, filled).Contains("anomaly_end"), TimeSpan.FromSeconds(60), "an anomaly on the full disk");
            var counters = await CountersAsync(telemetry, c => c["clipsDropped"] >= 1 && c["snapshotFailures"] >= 1 && c["recordingSuspended"] >= 1,
                "the lost clip and snapshot and the suspended recording counted");
            counters["clips"].Should().Be(0, "no clip fits on the full disk");
            Segments(recording).Where(s => s.CreationTimeUtc > filled.AddSeconds(3)).Should().BeEmpty("the recording is suspended, not writing empty files");

            // Space returns: the recording resumes by itself and the next event has its clip and snapshot again.
            File.Delete(filler);
            var freed = DateTime.UtcNow;
            var after = await events.WaitForAsync(m => Types(m, freed).Contains("clip"), TimeSpan.FromSeconds(90), "a clip once space returned");
            Segments(recording).Should().Contain(s => s.CreationTimeUtc > freed && s.Length > 0, "the ring writes segments again");
            var clip = after.Select(m => JsonDocument.Parse(m.Payload).RootElement).Last(e => e.GetProperty("type").GetString() == "clip");
            File.Exists(clip.GetProperty("path").GetString()).Should().BeTrue();
            final = await CountersAsync(telemetry, c => c["clips"] >= 1 && c["snapshots"] >= 1, "a clip and a snapshot after the disk had room again");

            // Nothing else failed. ffmpeg 5.1 itself exits when it cannot close a segment on the full disk (before the
            // once-a-second space check suspends the recording): that one restart, within a second and without the
            // recording, is the only one; the model never failed and events kept flowing.
            final["restarts"].Should().BeLessThanOrEqualTo(1, agent.StandardError);
            final["startFailures"].Should().Be(0);
            final["modelErrors"].Should().Be(0);
            final["recordingSuspended"].Should().BeGreaterThanOrEqualTo(1);
            final["clipsDropped"].Should().Be(counters["clipsDropped"], "the clip written after the disk had room was not dropped");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        agent.StandardError.Should().Contain("restarting ffmpeg to resume the recording").And.NotContain("Unhandled exception");
        if (final["restarts"] == 0)
        {
            agent.StandardError.Should().Contain("restarting ffmpeg to suspend the recording", "the space check suspended it before ffmpeg failed");
        }
    }

    private static FileInfo[] Segments(string directory) =>
        Directory.Exists(directory) ? new DirectoryInfo(directory).GetFiles("*.ts") : [];

    /// <summary>Writes until the disk refuses another byte.</summary>
    private static void Fill(string path)
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full.
        }

        chunk = new byte[512];
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
        }
    }

    private static List<string> Types(IReadOnlyList<MqttSubscriber.Received> messages, DateTime since) =>
    [
        .. messages.Select(m => JsonDocument.Parse(m.Payload).RootElement)
            .Where(e => e.GetProperty("ts").GetDateTime() > since)
            .Select(e => e.GetProperty("type").GetString()!),
    ];

    /// <summary>The camera's counters from the newest telemetry report that satisfies <paramref name="condition"/>.</summary>
    private static async Task<Dictionary<string, long>> CountersAsync(MqttSubscriber telemetry, Func<Dictionary<string, long>, bool> condition, string what)
    {
        Dictionary<string, long>? found = null;
        await telemetry.WaitForAsync(m =>
        {
            var last = Counters(m[^1]);
            if (last is not null && condition(last))
            {
                found = last;
                return true;
            }

            return false;
        }, TimeSpan.FromSeconds(90), what);
        return found!;
    }

    private static Dictionary<string, long>? Counters(MqttSubscriber.Received report)
    {
        var root = JsonDocument.Parse(report.Payload).RootElement;
        if (!root.TryGetProperty("pipelines", out var pipelines) || !pipelines.TryGetProperty("cam", out var cam))
        {
            return null;
        }

        return cam.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => (long)p.Value.GetDouble(), StringComparer.Ordinal);
    }

    private static int Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private void Unmount()
    {
        if (_disk is not null)
        {
            Run("umount", "-l", _disk);
        }
    }
}
