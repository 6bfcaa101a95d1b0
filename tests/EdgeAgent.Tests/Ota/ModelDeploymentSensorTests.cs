using System.Text.Json.Nodes;
using EdgeAgent.Configuration;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The pipeline side of an update with the real ORT library and the bundled demo model, while the demo's simulated
/// 1 kHz stream runs as fast as the loop takes it: every window is scored exactly once across the swap.
/// </summary>
public sealed class ModelDeploymentSensorTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-deploy");
    private readonly InferenceRuntime _runtime = InferenceRuntime.Create(new InferenceOptions());

    [Fact]
    public async Task A_swap_under_a_running_stream_drops_no_window_and_scores_none_twice()
    {
        var (options, store) = Setup(healthWatchSeconds: 1);
        var (runner, old, run, stop) = Start(options);
        var deployment = Deployment(options, runner.Pipeline, store, healthWatchSeconds: 1);
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 20);

        var failure = await deployment.DeployAsync("demo", Candidate(store, "2.0.0"), _ => { }, CancellationToken.None);

        failure.Should().BeNull();
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, runner.Pipeline.Scored + 20);
        await stop.CancelAsync();
        await run;
        var pipeline = runner.Pipeline;
        pipeline.Model.Should().NotBeSameAs(old);
        pipeline.Counters.Windows.Should().Be(pipeline.Scored, "every window the windower produced went through exactly one model run");
        old.Runs.Should().Be(deployment.LastSwap!.ScoredBefore, "the old model scored exactly the windows before the swap");
        (pipeline.Scored - old.Runs).Should().BeGreaterThan(0, "the new model scored the rest");
        old.Disposed.Should().BeTrue("the replaced session is released after the health watch");
        deployment.Serving("demo").Should().Be(("demo", "2.0.0"));
    }

    [Fact]
    public async Task Not_onnx_a_wrong_golden_output_or_an_unknown_pipeline_is_rejected_and_the_old_model_keeps_serving()
    {
        var (options, store) = Setup(healthWatchSeconds: 0);
        var (runner, old, run, stop) = Start(options);
        var deployment = Deployment(options, runner.Pipeline, store, healthWatchSeconds: 0);
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 5);

        var notOnnx = Candidate(store, "3.0.0", model => File.WriteAllText(model, "not an onnx file"));
        (await deployment.DeployAsync("demo", notOnnx, _ => { }, CancellationToken.None))!.Reason.Should().Be(RejectionReason.NotAModel);

        var golden = Candidate(store, "4.0.0", manifest: m => m["golden"] = new JsonObject
        {
            ["input"] = new JsonArray([.. Enumerable.Range(0, 10).Select(_ => (JsonNode?)0.0)]),
            ["output"] = new JsonArray([.. Enumerable.Range(0, 10).Select(_ => (JsonNode?)1000.0)]),
        });
        var wrongGolden = await deployment.DeployAsync("demo", golden, _ => { }, CancellationToken.None);
        wrongGolden!.Reason.Should().Be(RejectionReason.SmokeTestFailed);
        wrongGolden.Message.Should().Contain("golden output 0");

        var unknown = await deployment.DeployAsync("nope", Candidate(store, "5.0.0"), _ => { }, CancellationToken.None);
        unknown!.Reason.Should().Be(RejectionReason.UnknownPipeline);

        await CountingModel.WaitForWindowsAsync(runner.Pipeline, runner.Pipeline.Scored + 5);
        runner.Pipeline.Model.Should().BeSameAs(old);
        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
    }

    [Fact]
    public async Task A_model_that_fails_after_the_swap_is_rolled_back()
    {
        var (options, store) = Setup(healthWatchSeconds: 5);
        var (runner, old, run, stop) = Start(options);
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 5);
        // Passes the smoke test, then the loop's first windows show it too slow: latency bound 1 ns.
        var strict = new OtaOptions { HealthWatchSeconds = 5, HealthMaxLatencyMilliseconds = 0.000001, SwapTimeoutSeconds = 30 };
        var deployment = new ModelDeployment(options.Pipelines, _ => runner.Pipeline.Slot, () => _runtime, store, strict, NullLogger<ModelDeployment>.Instance);

        var failure = await deployment.DeployAsync("demo", Candidate(store, "2.0.0"), _ => { }, CancellationToken.None);

        failure!.Reason.Should().Be(RejectionReason.UnhealthyAfterSwap);
        failure.RolledBack.Should().BeTrue();
        failure.Message.Should().Contain("latency");
        runner.Pipeline.Model.Should().BeSameAs(old);
        old.Disposed.Should().BeFalse();
        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
    }

    [Fact]
    public async Task A_model_with_the_wrong_input_shape_or_NaN_outputs_is_rejected_before_the_swap()
    {
        var (options, store) = Setup(healthWatchSeconds: 0);
        var (runner, old, run, stop) = Start(options);
        var deployment = Deployment(options, runner.Pipeline, store, healthWatchSeconds: 0);
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 5);

        var wide = Candidate(store, "6.0.0", model => new OnnxModelBuilder("wide")
            .Input("x", TensorElementType.Float, 1, 12).Output("y", TensorElementType.Float, 1, 12)
            .Node("Identity", ["x"], ["y"]).Save(model));
        var shape = await deployment.DeployAsync("demo", wide, _ => { }, CancellationToken.None);
        shape!.Reason.Should().Be(RejectionReason.SignatureMismatch);
        shape.Message.Should().Contain("takes 12 input values but the feature pipeline writes 10");

        var nan = Candidate(store, "7.0.0", model => new OnnxModelBuilder("nan")
            .Input("x", TensorElementType.Float, 1, 10).Output("y", TensorElementType.Float, 1, 10)
            .Initializer("c", TensorElementType.Float, [1, 10], Enumerable.Repeat(float.NaN, 10).ToArray())
            .Node("Add", ["x", "c"], ["y"]).Save(model));
        var smoke = await deployment.DeployAsync("demo", nan, _ => { }, CancellationToken.None);
        smoke!.Reason.Should().Be(RejectionReason.SmokeTestFailed);
        smoke.Message.Should().Contain("NaN");

        runner.Pipeline.Model.Should().BeSameAs(old);
        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
        runner.Pipeline.Slot.NonFiniteScores.Should().Be(0);
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _dir.Dispose();
    }

    private (AgentOptions Options, ModelStore Store) Setup(int healthWatchSeconds)
    {
        var loaded = ConfigLoader.Load(new ConfigSources([RepositoryPaths.File("config", "edgeagent.json")],
        [
            $"stateDirectory={_dir.Combine("state")}", "mqtt.enabled=false", "pipelines[0].sources[0].simulated.realTime=false",
            $"ota.healthWatchSeconds={healthWatchSeconds}", $"pipelines[0].model.path={RepositoryPaths.File("models", "demo", "model.onnx")}",
        ]), new Dictionary<string, string>());
        return (loaded.Options, new ModelStore(loaded.Options.StateDirectory));
    }

    private (SensorPipelineRunner Runner, CountingModel Old, Task Run, CancellationTokenSource Stop) Start(AgentOptions options)
    {
        var pipelineOptions = options.Pipelines[0];
        var features = SensorPipelineFactory.CreateFeatures(pipelineOptions);
        var binding = PipelineModelLoader.Load(_runtime, pipelineOptions, features, pipelineOptions.Model.Path);
        var old = new CountingModel(binding.Model);
        var pipeline = SensorPipelineFactory.Create(pipelineOptions, "test", old, binding.Threshold, new DiscardQueue(), features);
        var sources = SensorPipelineFactory.CreateSources(pipelineOptions, NullLoggerFactory.Instance);
        var runner = new SensorPipelineRunner("demo", sources, pipeline);
        var stop = new CancellationTokenSource();
        var run = Task.Run(async () =>
        {
            try
            {
                await runner.RunAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        });
        return (runner, old, run, stop);
    }

    private ModelDeployment Deployment(AgentOptions options, SensorPipeline pipeline, ModelStore store, int healthWatchSeconds) =>
        new(options.Pipelines, name => name == "demo" ? pipeline.Slot : null, () => _runtime, store,
            new OtaOptions { HealthWatchSeconds = healthWatchSeconds, SwapTimeoutSeconds = 30 }, NullLogger<ModelDeployment>.Instance);

    /// <summary>The demo model under another version (and optionally a changed file or manifest), as the store holds it.</summary>
    private StoredModel Candidate(ModelStore store, string version, Action<string>? model = null, Action<JsonObject>? manifest = null)
    {
        var dir = _dir.Combine("candidates", version);
        Directory.CreateDirectory(dir);
        File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), Path.Combine(dir, "model.onnx"), overwrite: true);
        model?.Invoke(Path.Combine(dir, "model.onnx"));
        var json = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!.AsObject();
        json["version"] = version;
        manifest?.Invoke(json);
        File.WriteAllText(Path.Combine(dir, "model.json"), json.ToJsonString());
        _ = store;
        return new StoredModel("demo", version, dir);
    }
}
