using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

/// <summary>The camera loop body over the real ONNX Runtime: preprocessing into the model input, scoring, alert events, allocations.</summary>
[Collection(InferenceCollection.Name)]
public sealed class CameraPipelineTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 48;
    private readonly TempDirectory _directory = new("camera-pipeline");
    private readonly RuntimeFixture _fixture;
    private readonly RecordingQueue _queue = new();

    public CameraPipelineTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void A_bright_object_raises_and_clears_one_alert_through_the_sensor_event_path()
    {
        using var pipeline = Create(FloatBrightnessModel(), new MotionFilterOptions());
        var black = new byte[Width * Height * 3];
        var grey = Enumerable.Repeat((byte)128, black.Length).ToArray();
        var ticks = DateTime.UtcNow.Ticks;
        foreach (var frame in (byte[][])[black, black, grey, grey, grey, black, black, black])
        {
            pipeline.OnFrame(frame, 0, ticks += TimeSpan.TicksPerSecond);
        }

        pipeline.LastScore.Should().Be(0);
        _queue.Events().Select(e => e.GetProperty("type").GetString()).Should().Equal("anomaly_start", "anomaly_end");
        _queue.Events("anomaly_start")[0].GetProperty("score").GetDouble().Should().BeApproximately(128 / 255.0, 1e-5);
        _queue.Messages.Where(m => !m.Topic.StartsWith("alerts/cam", StringComparison.Ordinal)).Should().OnlyContain(m => m.Topic == "events/cam");
    }

    [Fact]
    public void With_the_motion_filter_on_an_alert_ends_once_the_figure_has_left_a_still_scene()
    {
        // No periodic frame: only motion, or a raised alert, gets a frame scored.
        using var pipeline = Create(FloatBrightnessModel(), new MotionFilterOptions { Enabled = true, ForceEverySeconds = 0 });
        var black = new byte[Width * Height * 3];
        var grey = Enumerable.Repeat((byte)128, black.Length).ToArray();
        var ticks = DateTime.UtcNow.Ticks;
        var frame = 0L;
        foreach (var picture in (byte[][])[black, black, black, black, grey, grey, black, black, black, black, black, black])
        {
            pipeline.OnFrame(picture, frame++, ticks += TimeSpan.TicksPerSecond);
        }

        // The figure passed too fast for the background to learn it: the frames after it match the background (no
        // motion), and only they can show the scene is normal again.
        _queue.Events().Select(e => e.GetProperty("type").GetString()).Should().Equal("anomaly_start", "anomaly_end");
        pipeline.Alert.Active.Should().BeFalse();
        pipeline.FramesSkipped.Should().BeGreaterThan(5, "still frames are skipped again once the alert has ended");
    }

    [Fact]
    public void A_uint8_model_gets_the_camera_bytes_unchanged_in_nhwc()
    {
        using var pipeline = Create(ByteBrightnessModel(), new MotionFilterOptions());
        pipeline.Model.ByteInput.Should().BeTrue();
        pipeline.Model.Layout.Should().Be(TensorLayout.Nhwc);
        var frame = new byte[Width * Height * 3];
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (byte)(i % 3 == 0 ? 30 : 90);
        }

        pipeline.OnFrame(frame, 0, DateTime.UtcNow.Ticks);

        pipeline.LastScore.Should().BeApproximately(70, 1e-3);
        pipeline.Model.ByteInputSpan.SequenceEqual(frame).Should().BeTrue();
    }

    [Fact]
    public void A_detector_raises_on_an_anomalous_class_and_the_start_event_lists_the_boxes()
    {
        // A stand-in detector with a fixed [1, 4+2, 8] (attributes-first) output: one 'person' box at the centre.
        var detections = new float[6 * 8];
        (detections[0], detections[8], detections[16], detections[24], detections[40]) = (32, 24, 16, 12, 0.9f);
        var path = new OnnxModelBuilder("detector").Input("image", TensorElementType.Float, 1, 3, Height, Width).Output("boxes", TensorElementType.Float, 1, 6, 8)
            .Initializer("fixed", TensorElementType.Float, [1, 6, 8], detections)
            .Initializer("zero", TensorElementType.Float, [], [0f])
            .Node("ReduceMean", ["image"], ["m"], OnnxAttribute.Int("keepdims", 0))
            .Node("Mul", ["m", "zero"], ["nothing"])
            .Node("Add", ["fixed", "nothing"], ["boxes"]).Save(_directory.Combine("detector.onnx"));
        var camera = new CameraOptions { Input = "unused.mkv", Width = Width, Height = Height };
        var alert = new AlertOptions { RaiseThreshold = 0.5, RaiseWindows = 2 };
        var scorer = new ScorerOptions { Kind = ScorerKind.Detection, Classes = ["cat", "person"], AnomalousClasses = ["person"] };
        using var pipeline = new CameraPipeline("cam", camera, new CameraModel(_fixture.Runtime.LoadModel(path), string.Empty, string.Empty, 3), scorer,
            s => new AnomalyEventPublisher("dev", "cam", alert, new AlertStateMachine(alert, null), s, 3, _queue));

        var frame = new byte[Width * Height * 3];
        pipeline.OnFrame(frame, 0, DateTime.UtcNow.Ticks).Should().Be(AlertTransition.None);
        pipeline.OnFrame(frame, 1, DateTime.UtcNow.Ticks).Should().Be(AlertTransition.Started);

        var start = _queue.Events("anomaly_start").Should().ContainSingle().Subject;
        start.GetProperty("score").GetDouble().Should().BeApproximately(0.9, 1e-6);
        var box = start.GetProperty("boxes").EnumerateArray().Should().ContainSingle().Subject;
        box.GetProperty("class").GetString().Should().Be("person");
        box.GetProperty("x1").GetDouble().Should().BeApproximately(0.375, 1e-6);
        box.GetProperty("y2").GetDouble().Should().BeApproximately(0.625, 1e-6);
        start.GetProperty("features")[0].GetProperty("name").GetString().Should().Be("person");
    }

    [Fact]
    public void Float_models_get_the_configured_mean_and_std_normalisation()
    {
        using var pipeline = Create(FloatBrightnessModel(), new MotionFilterOptions(), configure: c =>
        {
            c.InputMean.AddRange([0.5, 0.5, 0.5]);
            c.InputStd.Add(0.25);
        });

        pipeline.OnFrame(new byte[Width * Height * 3], 0, DateTime.UtcNow.Ticks);

        pipeline.LastScore.Should().BeApproximately(-2, 1e-5);
    }

    [Fact]
    public void The_loop_body_allocates_nothing_per_frame_with_or_without_motion()
    {
        var motion = new MotionFilterOptions { Enabled = true, ForceEverySeconds = 0 };
        // Thresholds no frame reaches: the recording queue (a test seam) would allocate for an event.
        using var floatPipeline = Create(FloatBrightnessModel(), motion, raiseThreshold: 1e6);
        using var bytePipeline = Create(ByteBrightnessModel(), motion, raiseThreshold: 1e6);
        var frames = new[] { new byte[Width * Height * 3], Enumerable.Repeat((byte)200, Width * Height * 3).ToArray() };
        var ticks = DateTime.UtcNow.Ticks;
        for (var i = 0; i < 50; i++)
        {
            floatPipeline.OnFrame(frames[i % 2], i, ticks + i);
            bytePipeline.OnFrame(frames[i % 2], i, ticks + i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            // Float: alternating pictures, all pass the motion filter. Bytes: a picture held for 100 frames, mostly skipped.
            floatPipeline.OnFrame(frames[i % 2], 100 + i, ticks + 100 + i);
            bytePipeline.OnFrame(frames[(i / 100) % 2], 100 + i, ticks + 100 + i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        _queue.Messages.Where(m => m.Topic.StartsWith("events/", StringComparison.Ordinal)).Should().BeEmpty();
        floatPipeline.FramesScored.Should().BeGreaterThan(1000);
        bytePipeline.FramesSkipped.Should().BeGreaterThan(300, "a still picture is skipped once the background has learnt it");
    }

    [Fact]
    public void A_model_whose_input_is_not_an_image_is_rejected_with_the_shape_it_has()
    {
        var path = new OnnxModelBuilder("vector").Input("x", TensorElementType.Float, 1, 10).Output("y", TensorElementType.Float, 1, 10)
            .Node("Identity", ["x"], ["y"]).Save(_directory.Combine("vector.onnx"));
        using var session = _fixture.Runtime.LoadModel(path);

        var create = () => new CameraModel(session, string.Empty, string.Empty, 3);

        create.Should().Throw<InvalidDataException>().WithMessage("*input x: float32[1x10] is not an image tensor*");
    }

    [Fact]
    public void A_grey_model_on_a_colour_camera_names_the_pixel_format_to_use()
    {
        var path = new OnnxModelBuilder("grey").Input("x", TensorElementType.Float, 1, 1, Height, Width).Output("y", TensorElementType.Float, 1, 1, 1, 1)
            .Node("ReduceMean", ["x"], ["y"]).Save(_directory.Combine("grey.onnx"));
        using var session = _fixture.Runtime.LoadModel(path);

        var create = () => new CameraModel(session, string.Empty, string.Empty, 3);

        create.Should().Throw<InvalidDataException>().WithMessage("*set camera.pixelFormat to gray*");
    }

    public void Dispose() => _directory.Dispose();

    private CameraPipeline Create(string modelPath, MotionFilterOptions motion, double raiseThreshold = 0.3, Action<CameraOptions>? configure = null)
    {
        var camera = new CameraOptions { Input = "unused.mkv", Width = Width, Height = Height, Motion = motion };
        configure?.Invoke(camera);
        var alert = new AlertOptions { RaiseThreshold = raiseThreshold, ClearThreshold = raiseThreshold / 3, RaiseWindows = 2, ClearWindows = 2 };
        var model = new CameraModel(_fixture.Runtime.LoadModel(modelPath), string.Empty, string.Empty, 3);
        return new CameraPipeline("cam", camera, model, new ScorerOptions { Kind = ScorerKind.Output },
            scorer => new AnomalyEventPublisher("dev", "cam", alert, new AlertStateMachine(alert, null), scorer, 3, _queue));
    }

    private string FloatBrightnessModel() =>
        new OnnxModelBuilder("brightness").Input("image", TensorElementType.Float, 1, 3, Height, Width).Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Node("ReduceMean", ["image"], ["score"]).Save(_directory.Combine("brightness.onnx"));

    private string ByteBrightnessModel() =>
        new OnnxModelBuilder("brightness8").Input("image", TensorElementType.UInt8, 1, Height, Width, 3).Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Node("Cast", ["image"], ["f"], OnnxAttribute.Int("to", (long)TensorElementType.Float))
            .Node("ReduceMean", ["f"], ["score"]).Save(_directory.Combine("brightness8.onnx"));
}
