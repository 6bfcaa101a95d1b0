using System.Text.Json.Nodes;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Camera;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The camera side of an update with the real ORT library, the bundled camera-demo scene model and real ffmpeg
/// frames (a looped lavfi clip, read as fast as the loop takes it): every frame the loop takes is scored exactly once
/// across the swap; misfits and failed smoke tests never reach the loop; an unhealthy model is swapped back.
/// </summary>
public sealed partial class ModelDeploymentCameraTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 48;
    private readonly TempDirectory _dir = new("edgeagent-camera-deploy");
    private readonly InferenceRuntime _runtime = InferenceRuntime.Create(new InferenceOptions());

    [Fact]
    public async Task A_swap_under_a_streaming_camera_drops_no_frame_and_scores_none_twice()
    {
        await using var camera = Start();
        var old = camera.Pipeline.Model;
        var deployment = Deployment(camera.Pipeline, new OtaOptions { HealthWatchSeconds = 1, SwapTimeoutSeconds = 30 });
        deployment.Serving("cam").Should().Be(("camera-demo", "1.0.0"), "the bundled model.json names what serves at start");
        await camera.WaitForFramesAsync(10);

        var failure = await deployment.DeployAsync("cam", Candidate("2.0.0"), _ => { }, CancellationToken.None);

        failure.Should().BeNull();
        var swappedAt = deployment.LastSwap!.ScoredBefore;
        await camera.WaitForFramesAsync(camera.Pipeline.FramesScored + 10);
        await camera.StopAsync();
        var pipeline = camera.Pipeline;
        pipeline.Model.Should().NotBeSameAs(old);
        pipeline.FramesScored.Should().Be(camera.FramesTaken, "every frame the loop took was scored, none dropped by the swap");
        pipeline.Slot.Runs.Should().Be(pipeline.FramesScored, "one model run per frame: none scored twice");
        swappedAt.Should().BeGreaterThan(0, "the old model scored the frames before the swap");
        (pipeline.FramesScored - swappedAt).Should().BeGreaterThan(0, "the new model scored the rest");
        pipeline.Slot.NonFiniteScores.Should().Be(0);
        var disposed = () => old.Run();
        disposed.Should().Throw<ObjectDisposedException>("the replaced session is released after the health watch");
        deployment.Serving("cam").Should().Be(("camera-demo", "2.0.0"));
    }

    [Fact]
    public async Task A_misfit_not_onnx_or_a_wrong_golden_output_is_rejected_and_the_old_model_keeps_serving()
    {
        await using var camera = Start();
        var old = camera.Pipeline.Model;
        var deployment = Deployment(camera.Pipeline, new OtaOptions { HealthWatchSeconds = 0, SwapTimeoutSeconds = 30 });
        await camera.WaitForFramesAsync(5);

        var small = Candidate("3.0.0", model => new OnnxModelBuilder("small")
            .Input("image", TensorElementType.Float, 1, 1, 24, 32).Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Node("ReduceMean", ["image"], ["score"]).Save(model));
        var misfit = await deployment.DeployAsync("cam", small, _ => { }, CancellationToken.None);
        misfit!.Reason.Should().Be(RejectionReason.SignatureMismatch);
        misfit.Message.Should().Contain("[1x1x24x32]").And.Contain("does not fit the pipeline's preprocessing");

        var colour = Candidate("4.0.0", model => new OnnxModelBuilder("colour")
            .Input("image", TensorElementType.Float, 1, 3, Height, Width).Output("score", TensorElementType.Float, 1, 1, 1, 1)
            .Node("ReduceMean", ["image"], ["score"]).Save(model));
        var channels = await deployment.DeployAsync("cam", colour, _ => { }, CancellationToken.None);
        channels!.Reason.Should().Be(RejectionReason.SignatureMismatch);
        channels.Message.Should().Contain("takes 3 channel(s) but the camera delivers 1");

        var notOnnx = Candidate("5.0.0", model => File.WriteAllText(model, "not an onnx file"));
        (await deployment.DeployAsync("cam", notOnnx, _ => { }, CancellationToken.None))!.Reason.Should().Be(RejectionReason.NotAModel);

        var inputs = (int)old.InputTensor.ElementCount;
        var outputs = old.Output.Length;
        var golden = Candidate("6.0.0", manifest: m => m["golden"] = new JsonObject
        {
            ["input"] = new JsonArray([.. Enumerable.Range(0, inputs).Select(_ => (JsonNode?)0.0)]),
            ["output"] = new JsonArray([.. Enumerable.Range(0, outputs).Select(_ => (JsonNode?)1e6)]),
        });
        var wrongGolden = await deployment.DeployAsync("cam", golden, _ => { }, CancellationToken.None);
        wrongGolden!.Reason.Should().Be(RejectionReason.SmokeTestFailed);
        wrongGolden.Message.Should().Contain("golden output 0");

        (await deployment.DeployAsync("elsewhere", Candidate("7.0.0"), _ => { }, CancellationToken.None))!.Reason.Should().Be(RejectionReason.UnknownPipeline);

        await camera.WaitForFramesAsync(camera.Pipeline.FramesScored + 5);
        await camera.StopAsync();
        camera.Pipeline.Model.Should().BeSameAs(old);
        camera.Pipeline.FramesScored.Should().Be(camera.FramesTaken);
        deployment.Serving("cam").Should().Be(("camera-demo", "1.0.0"));
    }

    [Fact]
    public async Task An_update_for_a_camera_pipeline_that_is_not_running_is_accepted_for_its_next_rebuild()
    {
        // The pipeline's model could not be used, so nothing runs: nothing to validate against, swap or watch.
        var deployment = new ModelDeployment([Options()], _ => null, () => _runtime, new ModelStore(_dir.Combine("state")),
            new OtaOptions { HealthWatchSeconds = 1 }, NullLogger<ModelDeployment>.Instance);

        (await deployment.DeployAsync("cam", Candidate("2.0.0"), _ => { }, CancellationToken.None)).Should().BeNull();

        deployment.Serving("cam").Should().Be(("camera-demo", "2.0.0"), "the coordinator activates it, and the rebuild loads the active version");
        (await deployment.DeployAsync("elsewhere", Candidate("3.0.0"), _ => { }, CancellationToken.None))!.Reason.Should().Be(RejectionReason.UnknownPipeline);
    }

    [Fact]
    public async Task A_model_that_turns_out_too_slow_after_the_swap_is_swapped_back()
    {
        await using var camera = Start();
        var old = camera.Pipeline.Model;
        // Passes the smoke test, then the loop's first frames show it too slow: latency bound 1 ns.
        var deployment = Deployment(camera.Pipeline, new OtaOptions { HealthWatchSeconds = 10, HealthMaxLatencyMilliseconds = 0.000001, SwapTimeoutSeconds = 30 });
        await camera.WaitForFramesAsync(5);

        var failure = await deployment.DeployAsync("cam", Candidate("2.0.0"), _ => { }, CancellationToken.None);

        failure!.Reason.Should().Be(RejectionReason.UnhealthyAfterSwap);
        failure.RolledBack.Should().BeTrue();
        failure.Message.Should().Contain("latency");
        camera.Pipeline.Model.Should().BeSameAs(old);
        await camera.WaitForFramesAsync(camera.Pipeline.FramesScored + 5);
        await camera.StopAsync();
        camera.Pipeline.FramesScored.Should().Be(camera.FramesTaken);
        deployment.Serving("cam").Should().Be(("camera-demo", "1.0.0"));
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _dir.Dispose();
    }

    private PipelineOptions? _options;

    // The lavfi graph of the looped clip (set before Start).
    private string _clip = $"testsrc2=size={Width}x{Height}:rate=25:duration=2";

    private PipelineOptions Options() => _options ??= new()
    {
        Name = "cam",
        Kind = PipelineKind.Camera,
        Camera = new CameraOptions
        {
            Input = FfmpegTool.Generate(_dir.Combine("clip.mkv"), _clip),
            Loop = true, ReadAtNativeRate = false, MaxFps = 0, Width = Width, Height = Height, PixelFormat = CameraPixelFormat.Gray,
        },
        Model = { Path = RepositoryPaths.File("models", "camera-demo", "model.onnx") },
        Scorer = { Kind = EdgeAgent.Pipelines.Scoring.ScorerKind.Output },
    };

    private RunningCamera Start()
    {
        var options = Options();
        var pipeline = CameraPipelineFactory.Create(options, "test", _runtime, options.Model.Path, new DiscardQueue());
        var capture = new CameraCapture("camera cam", options.Camera!, NullLogger.Instance);
        return new RunningCamera(pipeline, capture);
    }

    private ModelDeployment Deployment(CameraPipeline pipeline, OtaOptions ota) =>
        new([Options()], name => name == "cam" ? pipeline.Slot : null, () => _runtime,
            new ModelStore(_dir.Combine("state")), ota, NullLogger<ModelDeployment>.Instance);

    /// <summary>The camera-demo model under another version (and optionally a changed file or manifest), as the store holds it.</summary>
    private StoredModel Candidate(string version, Action<string>? model = null, Action<JsonObject>? manifest = null)
    {
        var dir = _dir.Combine("candidates", version);
        Directory.CreateDirectory(dir);
        File.Copy(RepositoryPaths.File("models", "camera-demo", "model.onnx"), Path.Combine(dir, "model.onnx"), overwrite: true);
        model?.Invoke(Path.Combine(dir, "model.onnx"));
        var json = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "camera-demo", "model.json")))!.AsObject();
        json["version"] = version;
        manifest?.Invoke(json);
        File.WriteAllText(Path.Combine(dir, "model.json"), json.ToJsonString());
        return new StoredModel("camera-demo", version, dir);
    }

    /// <summary>The real capture (ffmpeg) and a loop that scores every frame it takes, as CameraPipelineService does.</summary>
    private sealed class RunningCamera : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _capture;
        private readonly Task _loop;
        private long _taken;

        public RunningCamera(CameraPipeline pipeline, CameraCapture capture)
        {
            Pipeline = pipeline;
            _capture = Task.Run(() => capture.RunAsync(_stop.Token));
            _loop = Task.Run(async () =>
            {
                try
                {
                    while (await capture.Frames.TakeAsync(_stop.Token) is { } frame)
                    {
                        Interlocked.Increment(ref _taken);
                        pipeline.OnFrame(frame.Pixels, frame.Timestamp, DateTime.UtcNow.Ticks);
                        capture.Frames.Return(frame);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public CameraPipeline Pipeline { get; }

        public long FramesTaken => Interlocked.Read(ref _taken);

        public async Task WaitForFramesAsync(long frames)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Pipeline.FramesScored < frames)
            {
                DateTime.UtcNow.Should().BeBefore(deadline, $"the camera pipeline should score {frames} frames");
                _loop.IsFaulted.Should().BeFalse(_loop.Exception?.ToString());
                await Task.Delay(10);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop.WaitAsync(TimeSpan.FromSeconds(30));
            try
            {
                await _capture.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (OperationCanceledException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            Pipeline.Dispose();
            _stop.Dispose();
        }
    }
}
