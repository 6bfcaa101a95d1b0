using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Pipelines;

/// <summary>
/// Recording in the real executable: one ffmpeg decodes a 640x480 H.264 colour video for a scene model learnt by
/// calibrate-camera and copies it into the segment ring; the anomaly_start's snapshot is cut from the ring at full
/// resolution with the anomalous patches outlined, and the event's clip is joined from the ring with pre- and post-roll.
/// </summary>
public sealed partial class CameraRecordingTests : IDisposable
{
    private const double Pre = 2;
    private const double Post = 2;
    private const int SegmentSeconds = 2;

    // A white object on a blue scene, where no yellow occurs: yellow pixels in the snapshot are the outline.
    private const int ObjectX = 240;
    private const int ObjectY = 180;
    private const int ObjectW = 120;
    private const int ObjectH = 100;

    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task The_anomaly_start_has_a_full_resolution_colour_snapshot_with_the_anomaly_marked_and_the_event_a_clip_with_pre_and_post_roll()
    {
        var config = await PrepareAsync();

        _broker.Start();
        using var subscriber = new MqttSubscriber(_broker.Port, "edgeagent/test-device/+/cam");
        using var thumbnails = new MqttSubscriber(_broker.Port, "edgeagent/test-device/events/cam/thumbnail");
        using var agent = AgentProcess.Start(["run", "--config", config]);
        IReadOnlyList<MqttSubscriber.Received> messages;
        try
        {
            messages = await subscriber.WaitForAsync(m => m.Any(e => e.Payload.Contains("\"clip\"", StringComparison.Ordinal)) &&
                                                          m.Any(e => e.Topic.EndsWith("/snapshots/cam", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(90), "a snapshot and a clip");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        var events = messages.Where(m => m.Topic == "edgeagent/test-device/events/cam").Select(m => JsonDocument.Parse(m.Payload).RootElement).ToList();
        events.Select(e => e.GetProperty("type").GetString()).Should().Equal(["anomaly_start", "anomaly_end", "clip"], agent.StandardError);
        var id = events[0].GetProperty("alertId").GetString()!;
        var started = events[0].GetProperty("ts").GetDateTime();
        var ended = events[1].GetProperty("ts").GetDateTime();

        // The snapshot: kept under the event's id, 640x480, in colour, with the object's patches outlined.
        var snapshot = Directory.GetFiles(_dir.Combine("state", "snapshots", "cam"), $"*-{id}.jpg").Should().ContainSingle().Subject;
        FfmpegTool.Probe("-show_entries", "stream=width,height", "-of", "csv=p=0", snapshot).Trim().Should().Be("640,480");
        FfmpegTool.Run("-i", snapshot, "-f", "rawvideo", "-pix_fmt", "rgb24", _dir.Combine("snapshot.rgb"));
        var rgb = File.ReadAllBytes(_dir.Combine("snapshot.rgb"));
        rgb.Length.Should().Be(640 * 480 * 3);
        var coloured = 0;
        int yellowLeft = int.MaxValue, yellowTop = int.MaxValue, yellowRight = -1, yellowBottom = -1;
        for (var i = 0; i < 640 * 480; i++)
        {
            int r = rgb[3 * i], g = rgb[(3 * i) + 1], b = rgb[(3 * i) + 2];
            if (Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b)) > 60)
            {
                coloured++;
            }

            if (r > 170 && g > 170 && b < 110)
            {
                int x = i % 640, y = i / 640;
                (yellowLeft, yellowTop, yellowRight, yellowBottom) = (Math.Min(yellowLeft, x), Math.Min(yellowTop, y), Math.Max(yellowRight, x), Math.Max(yellowBottom, y));
            }
        }

        coloured.Should().BeGreaterThan(640 * 480 / 2, "the snapshot is the camera's colour picture, not the model's grey input");
        // The heat overlay: the white object under its patches is tinted red; the blue scene far from it is not.
        var centre = 3 * (((ObjectY + (ObjectH / 2)) * 640) + ObjectX + (ObjectW / 2));
        (rgb[centre] - rgb[centre + 1]).Should().BeGreaterThan(40, "the object's patches score highest and are drawn hot");
        (rgb[centre] - rgb[centre + 2]).Should().BeGreaterThan(40);
        var corner = 3 * ((460 * 640) + 20);
        (rgb[corner + 2] - rgb[corner]).Should().BeGreaterThan(60, "a normal patch far from the object keeps the scene's blue");
        var away = 0;
        var tinted = 0;
        for (var i = 0; i < 640 * 480; i++)
        {
            int x = i % 640, y = i / 640;
            if (x < ObjectX - 85 || x > ObjectX + ObjectW + 85 || y < ObjectY - 85 || y > ObjectY + ObjectH + 85)
            {
                away++;
                tinted += rgb[3 * i] > rgb[(3 * i) + 2] ? 1 : 0;
            }
        }

        tinted.Should().BeLessThan(away / 10, "the normal scene stays clear of heat");
        yellowRight.Should().BeGreaterThan(0, "the anomalous patches are outlined in yellow");
        // The outline encloses the object (patches are 80x80 pixels of the full frame, so it may reach one patch beyond).
        yellowLeft.Should().BeInRange(ObjectX - 85, ObjectX + 5);
        yellowTop.Should().BeInRange(ObjectY - 85, ObjectY + 5);
        yellowRight.Should().BeInRange(ObjectX + ObjectW - 5, ObjectX + ObjectW + 85);
        yellowBottom.Should().BeInRange(ObjectY + ObjectH - 5, ObjectY + ObjectH + 85);
        messages.Count(m => m.Topic == "edgeagent/test-device/snapshots/cam").Should().Be(1);

        // The thumbnail, as a subscriber reads it from the broker: beside the events, naming the alert, 240 px wide.
        var thumbnail = JsonDocument.Parse((await thumbnails.WaitForAsync(m => m.Count > 0, TimeSpan.FromSeconds(10), "a thumbnail")).Should().ContainSingle().Subject.Payload).RootElement;
        thumbnail.GetProperty("type").GetString().Should().Be("thumbnail");
        thumbnail.GetProperty("alertId").GetString().Should().Be(id);

        // docs/mqtt.md's thumbnail example names exactly the fields the agent sends (the event contract test leaves
        // camera-only messages to this test).
        var docs = File.ReadAllText(RepositoryPaths.File("docs", "mqtt.md"));
        var example = Regex.Matches(docs, "```json\\s*\\n(\\{.*?\\})\\s*\\n```", RegexOptions.Singleline)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)).OfType<JsonObject>().Single(o => (string?)o["type"] == "thumbnail");
        example.Select(p => p.Key).Should().BeEquivalentTo(thumbnail.EnumerateObject().Select(p => p.Name));
        File.WriteAllBytes(_dir.Combine("thumbnail.jpg"), thumbnail.GetProperty("jpeg").GetBytesFromBase64());
        FfmpegTool.Probe("-show_entries", "stream=width,height", "-of", "csv=p=0", _dir.Combine("thumbnail.jpg")).Trim().Should().Be("240,180");

        // The clip: named after the event, playable, and spanning pre seconds before the start to post after the end,
        // within one segment (segments are cut at keyframes, 2 s here).
        var clip = events[2];
        clip.GetProperty("alertId").GetString().Should().Be(id);
        var path = clip.GetProperty("path").GetString()!;
        Path.GetFileName(path).Should().Be(id + ".mp4");
        clip.GetProperty("url").GetString().Should().Be("http://nas.local/clips/" + id + ".mp4");
        FfmpegTool.Probe("-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", path).Trim().Should().Be("h264,640,480");
        var seconds = double.Parse(FfmpegTool.Probe("-show_entries", "format=duration", "-of", "csv=p=0", path).Trim(), CultureInfo.InvariantCulture);
        var clipStart = clip.GetProperty("start").GetDateTime();
        var clipEnd = clip.GetProperty("end").GetDateTime();
        seconds.Should().BeApproximately((clipEnd - clipStart).TotalSeconds, 0.6, "the announced span is the clip's content");
        (started.AddSeconds(-Pre) - clipStart).TotalSeconds.Should().BeInRange(-0.3, SegmentSeconds + 0.3, "the clip starts pre seconds before anomaly_start");
        (clipEnd - ended.AddSeconds(Post)).TotalSeconds.Should().BeInRange(-0.3, SegmentSeconds + 0.3, "the clip ends post seconds after anomaly_end");
        seconds.Should().BeGreaterThanOrEqualTo((ended - started).TotalSeconds + Pre + Post - 0.6);

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        Directory.GetFiles(_dir.Combine("state", "recording", "cam"), "*.ts").Should().NotBeEmpty("the ring keeps the last segments");
    }

    /// <summary>
    /// The yard video (a white object from 5 s to 8 s of 14 s; with <c>camera.loop</c> it comes back every 14 s) and a
    /// scene model calibrate-camera learnt from the empty scene; <paramref name="configure"/> adjusts the root and the
    /// camera section of the config.
    /// </summary>
    private async Task<string> PrepareAsync(Action<JsonObject, JsonObject>? configure = null)
    {
        const string scene = "color=c=0x2050b0:size=640x480:rate=10:duration={0},noise=alls=6:allf=t:all_seed=3";
        FfmpegTool.Run("-f", "lavfi", "-i", string.Format(CultureInfo.InvariantCulture, scene, 30), "-c:v", "ffv1", _dir.Combine("normal.mkv"));
        // One keyframe a second, so the 2 s segments are cut where asked (copy cuts only at keyframes).
        FfmpegTool.Run("-f", "lavfi", "-i",
            string.Format(CultureInfo.InvariantCulture, scene, 14) + $",drawbox=x={ObjectX}:y={ObjectY}:w={ObjectW}:h={ObjectH}:color=white:t=fill:enable='between(t,5,8)'",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", _dir.Combine("yard.mkv"));
        var config = WriteConfig(_dir.Combine("yard.mkv"), configure);
        var (code, _, stderr) = await AgentProcess.RunAsync(["calibrate-camera", "--config", config, "--pipeline", "cam", "--input", _dir.Combine("normal.mkv"),
            "--out", _dir.Combine("model"), "--name", "yard", "--version", "1.0.0"]);
        code.Should().Be(0, stderr);

        return config;
    }

    private string WriteConfig(string video, Action<JsonObject, JsonObject>? configure)
    {
        var config = new JsonObject
        {
            ["deviceId"] = "test-device",
            ["startupGraceSeconds"] = 30,
            ["stateDirectory"] = _dir.Combine("state"),
            ["mqtt"] = new JsonObject { ["host"] = "127.0.0.1", ["port"] = _broker.Port },
            ["pipelines"] = new JsonArray(new JsonObject
            {
                ["name"] = "cam",
                ["kind"] = "camera",
                ["camera"] = new JsonObject
                {
                    ["input"] = video,
                    ["width"] = 64,
                    ["height"] = 48,
                    ["pixelFormat"] = "gray",
                    ["maxFps"] = 10,
                    ["motion"] = new JsonObject { ["enabled"] = false },
                    ["recording"] = new JsonObject { ["enabled"] = true, ["segmentSeconds"] = SegmentSeconds, ["maxAgeSeconds"] = 120 },
                    ["clips"] = new JsonObject { ["preSeconds"] = Pre, ["postSeconds"] = Post, ["maxSeconds"] = 30, ["urlPrefix"] = "http://nas.local/clips/" },
                },
                ["model"] = new JsonObject { ["path"] = _dir.Combine("model", "model.onnx") },
                ["scorer"] = new JsonObject { ["kind"] = "output" },
                ["alert"] = new JsonObject { ["raiseWindows"] = 2, ["clearWindows"] = 5 },
            }),
        };
        configure?.Invoke(config, (JsonObject)config["pipelines"]![0]!["camera"]!);
        var path = _dir.Combine("camera.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    public void Dispose()
    {
        _broker.Dispose();
        Unmount();
        _dir.Dispose();
    }
}
