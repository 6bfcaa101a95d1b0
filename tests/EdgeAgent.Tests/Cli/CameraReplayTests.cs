using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>
/// Offline camera replay through the real executable and ffmpeg, with config/camera-example.json as shipped (motion
/// filter on): a scene learned with calibrate-camera, a figure crossing it for 4 s of a 30 s clip.
/// </summary>
public sealed class CameraReplayTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Config => RepositoryPaths.File("config", "camera-example.json");

    [Fact]
    public async Task A_figure_crossing_a_learned_scene_gives_one_start_and_one_end_on_the_videos_clock_every_frame_judged()
    {
        FfmpegTool.Run("-f", "lavfi", "-i", "smptebars=size=320x240:rate=10:duration=60,noise=alls=6:allf=t:all_seed=42", "-c:v", "ffv1", _dir.Combine("normal.mkv"));
        // A white figure walks across the bars from t = 10 s to t = 14 s.
        FfmpegTool.Run("-f", "lavfi", "-i",
            "smptebars=size=320x240:rate=10:duration=30,noise=alls=6:allf=t:all_seed=7[bg];color=c=white:size=40x60:rate=10[fg];" +
            "[bg][fg]overlay=x='(t-10)*70':y=90:enable='between(t,10,14)':shortest=1",
            "-c:v", "ffv1", _dir.Combine("crossing.mkv"));
        var learned = await AgentProcess.RunAsync(["calibrate-camera", "--config", Config, "--pipeline", "yard", "--input", _dir.Combine("normal.mkv"), "--out", _dir.Combine("model")]);
        learned.ExitCode.Should().Be(0, learned.Stderr);

        var runs = new List<List<JsonElement>>();
        for (var run = 0; run < 2; run++)
        {
            var (code, stdout, stderr) = await AgentProcess.RunAsync(
                ["replay", "--config", Config, "--pipeline", "yard", "--input", _dir.Combine("crossing.mkv"), "--model", _dir.Combine("model", "model.onnx"), "--json"]);
            code.Should().Be(0, stderr);
            runs.Add([.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)]);
        }

        var lines = runs[0];
        lines.Select(l => l.GetProperty("type").GetString()).Should().Equal("anomaly_start", "anomaly_end", "summary");
        // The video's clock (the clip has no creation_time: seconds from 1970-01-01), not the wall clock.
        var start = lines[0].GetProperty("ts").GetDateTime();
        var end = lines[1].GetProperty("ts").GetDateTime();
        start.Should().BeOnOrAfter(DateTime.UnixEpoch.AddSeconds(10)).And.BeBefore(DateTime.UnixEpoch.AddSeconds(11));
        end.Should().BeOnOrAfter(DateTime.UnixEpoch.AddSeconds(14)).And.BeBefore(DateTime.UnixEpoch.AddSeconds(17), "the alert ends soon after the figure leaves");

        // 30 s at the example's 5 fps: every frame read, none dropped, each either scored or judged still by the motion filter.
        var summary = lines[2];
        summary.GetProperty("frames").GetInt64().Should().Be(150);
        summary.GetProperty("dropped").GetInt64().Should().Be(0);
        (summary.GetProperty("scored").GetInt64() + summary.GetProperty("motion_skipped").GetInt64()).Should().Be(150);

        // Deterministic: the second run prints the same events (but for their random message and alert ids) and the same counts.
        runs[1].Select(Comparable).Should().Equal(lines.Select(Comparable));
    }

    public void Dispose() => _dir.Dispose();

    private static string Comparable(JsonElement line)
    {
        var fields = line.EnumerateObject().Where(p => p.Name is not ("id" or "alertId" or "elapsed_ms" or "frames_per_second"));
        return string.Join(",", fields.Select(p => $"{p.Name}={p.Value.GetRawText()}"));
    }
}
