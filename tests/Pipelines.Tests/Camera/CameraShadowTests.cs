using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Camera;

/// <summary>A shadow candidate in the camera loop over the real ONNX Runtime: same input, own threshold, nothing published, no allocation.</summary>
[Collection(InferenceCollection.Name)]
public sealed class CameraShadowTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 48;
    private readonly TempDirectory _directory = new("camera-shadow");
    private readonly RuntimeFixture _fixture;
    private readonly RecordingQueue _queue = new();

    public CameraShadowTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_candidate_scores_every_frame_on_the_same_input_publishes_nothing_and_allocates_nothing(bool byteInput)
    {
        var path = byteInput ? ByteBrightnessModel() : FloatBrightnessModel();
        // The active model alerts on no frame (threshold 1e6); the candidate at 0.1 alerts on the grey ones only.
        using var pipeline = Create(path);
        using var candidate = Load(path);
        var shadow = new CameraModelKind(pipeline).CreateShadow(candidate, byteInput ? 100 : 0.1, null, new PipelineOptions());
        pipeline.Slot.AttachShadow(shadow).Should().BeTrue();
        pipeline.Slot.AttachShadow(new CameraModelKind(pipeline).CreateShadow(candidate, 0.1, null, new PipelineOptions())).Should().BeFalse("one shadow at a time");
        var frames = new[] { new byte[Width * Height * 3], Enumerable.Repeat((byte)200, Width * Height * 3).ToArray() };
        var ticks = DateTime.UtcNow.Ticks;
        for (var i = 0; i < 50; i++)
        {
            pipeline.OnFrame(frames[i % 2], i, ticks + i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            pipeline.OnFrame(frames[i % 2], 100 + i, ticks + 100 + i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.Should().Be(0);
        var statistics = shadow.Statistics;
        statistics.Windows.Should().Be(1050);
        statistics.Failed.Should().Be(0);
        statistics.CandidateAlerts.Should().Be(525, "the grey frames, scored from the very input the active model got");
        statistics.ActiveAlerts.Should().Be(0);
        _queue.Messages.Where(m => m.Topic.StartsWith("events/", StringComparison.Ordinal)).Should().BeEmpty("nothing the candidate computes is published");
        pipeline.Slot.Runs.Should().Be(1050, "the candidate's runs are not the pipeline's");

        pipeline.Slot.DetachShadow(shadow);
        pipeline.OnFrame(frames[1], 2000, ticks + 2000);
        shadow.Statistics.Windows.Should().Be(1050, "a detached candidate is never run again");
        pipeline.Slot.AttachShadow(new CameraModelKind(pipeline).CreateShadow(candidate, 0.1, null, new PipelineOptions())).Should().BeTrue("the slot is free again");
    }

    public void Dispose() => _directory.Dispose();

    private CameraModel Load(string path) => new(_fixture.Runtime.LoadModel(path), string.Empty, string.Empty, 3);

    private CameraPipeline Create(string modelPath)
    {
        var camera = new CameraOptions { Input = "unused.mkv", Width = Width, Height = Height };
        var alert = new AlertOptions { RaiseThreshold = 1e6, ClearThreshold = 1e5, RaiseWindows = 2, ClearWindows = 2 };
        return new CameraPipeline("cam", camera, Load(modelPath), new ScorerOptions { Kind = ScorerKind.Output },
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
