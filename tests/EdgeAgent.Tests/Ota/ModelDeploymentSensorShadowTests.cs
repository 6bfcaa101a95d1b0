using System.Text.Json.Nodes;
using EdgeAgent.Configuration;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Tests.Ota;

/// <summary>
/// The shadow period with the real ORT library, the bundled demo model and its simulated stream fed as fast as the
/// loop takes it: the candidate scores the live windows beside the active model and is swapped in only within the
/// <c>ota.shadow</c> bounds; either way every window is scored by exactly one active model, once.
/// </summary>
public sealed class ModelDeploymentSensorShadowTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-shadow");
    private readonly InferenceRuntime _runtime = InferenceRuntime.Create(new InferenceOptions());

    [Fact]
    public async Task A_candidate_within_the_bounds_is_promoted_after_its_shadow_period_and_no_window_is_dropped_or_scored_twice()
    {
        var (options, store) = Setup();
        var (runner, old, run, stop) = Start(options);
        var deployment = Deployment(options, runner.Pipeline, store, new ShadowOptions { Seconds = 1, MinWindows = 50 });
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 20);
        var states = new List<UpdateState>();

        var failure = await deployment.DeployAsync("demo", Candidate("2.0.0"), states.Add, CancellationToken.None);

        failure.Should().BeNull(failure?.Message);
        states.Should().Equal(UpdateState.Shadow);
        var shadow = deployment.LastShadow!.Value;
        shadow.Windows.Should().BeGreaterThanOrEqualTo(50);
        shadow.Failed.Should().Be(0);
        shadow.CandidateAlerts.Should().Be(shadow.ActiveAlerts, "the same model with the same threshold saw the same features");
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, runner.Pipeline.Scored + 20);
        await stop.CancelAsync();
        await run;
        var pipeline = runner.Pipeline;
        pipeline.Model.Should().NotBeSameAs(old);
        pipeline.Counters.Windows.Should().Be(pipeline.Scored, "every window went through exactly one active model run, shadow or not");
        old.Runs.Should().Be(deployment.LastSwap!.ScoredBefore, "the old model scored every window up to the swap, the shadowed ones included");
        shadow.Windows.Should().BeLessThanOrEqualTo(deployment.LastSwap.ScoredBefore);
        old.Disposed.Should().BeTrue();
        deployment.Serving("demo").Should().Be(("demo", "2.0.0"));
    }

    [Fact]
    public async Task A_candidate_that_alerts_far_more_than_the_active_model_is_rejected_and_the_active_model_keeps_serving()
    {
        var (options, store) = Setup();
        var (runner, old, run, stop) = Start(options);
        var deployment = Deployment(options, runner.Pipeline, store, new ShadowOptions { Seconds = 1, MinWindows = 50 });
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 20);
        var states = new List<UpdateState>();

        // The same network with a threshold far under its normal scores: every window would raise an alert.
        var failure = await deployment.DeployAsync("demo", Candidate("2.0.0", manifest: m => m["threshold"] = 1e-9), states.Add, CancellationToken.None);

        failure!.Reason.Should().Be(RejectionReason.ShadowFailed);
        failure.RolledBack.Should().BeFalse();
        failure.Message.Should().MatchRegex(@"alerted on 100% of \d+ windows vs \d+(\.\d)?% for the active model \(bound ota.shadow.maxAlertRateIncrease 5 percentage points\)");
        states.Should().Equal(UpdateState.Shadow);
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, runner.Pipeline.Scored + 20);
        runner.Pipeline.Model.Should().BeSameAs(old);
        old.Disposed.Should().BeFalse();
        deployment.LastSwap.Should().BeNull("nothing was swapped");
        deployment.Serving("demo").Should().Be(("demo", "1.0.0"));
        runner.Pipeline.Alert.RaiseThreshold.Should().BeGreaterThan(1e-3, "the candidate's threshold never reached the live alert logic");
        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
        old.Runs.Should().Be(runner.Pipeline.Scored, "the active model scored every window");
    }

    [Fact]
    public async Task A_candidate_that_gives_NaN_on_live_windows_is_rejected_without_waiting_for_the_end_of_the_period()
    {
        var (options, store) = Setup();
        var (runner, old, run, stop) = Start(options);
        // A period far longer than the test's patience: the first failure decides (maxErrorRate 0).
        var deployment = Deployment(options, runner.Pipeline, store, new ShadowOptions { Seconds = 3600, MinWindows = 50 });
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 20);

        // sqrt(x): finite on its golden input (all ones), NaN on the negative standardised features of live windows.
        var sqrt = Candidate("3.0.0",
            model => new OnnxModelBuilder("sqrt").Input("x", TensorElementType.Float, 1, 10).Output("y", TensorElementType.Float, 1, 10)
                .Node("Sqrt", ["x"], ["y"]).Save(model),
            manifest => manifest["golden"] = new JsonObject
            {
                ["input"] = new JsonArray([.. Enumerable.Range(0, 10).Select(_ => (JsonNode?)1.0)]),
                ["output"] = new JsonArray([.. Enumerable.Range(0, 10).Select(_ => (JsonNode?)1.0)]),
            });
        var failure = await deployment.DeployAsync("demo", sqrt, _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        failure!.Reason.Should().Be(RejectionReason.ShadowFailed);
        failure.Message.Should().Contain("NaN or infinite score(s)").And.Contain("bound ota.shadow.maxErrorRate 0%");
        deployment.LastShadow!.Value.NonFinite.Should().BeGreaterThan(0);
        runner.Pipeline.Model.Should().BeSameAs(old);
        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
        runner.Pipeline.Slot.NonFiniteScores.Should().Be(0, "the candidate's NaN scores were never the pipeline's");
    }

    [Fact]
    public async Task Through_the_coordinator_the_reported_state_goes_shadow_then_rejected_and_the_store_keeps_the_serving_model_active()
    {
        var (options, store) = Setup();
        StoreSeeder.Seed(store, options.Pipelines);
        var (runner, old, run, stop) = Start(options);
        var ota = new OtaOptions { AllowUnsigned = true, HealthWatchSeconds = 0, SwapTimeoutSeconds = 30, Shadow = { Seconds = 1, MinWindows = 50 } };
        var deployment = new ModelDeployment(options.Pipelines, name => name == "demo" ? runner.Pipeline.Slot : null, () => _runtime, store, ota,
            NullLogger<ModelDeployment>.Instance);
        var board = new OtaStatusBoard();
        var coordinator = new UpdateCoordinator(store, new BundleInstaller(store, ota), new ArtifactDownloader(new HttpClient(), 1 << 20, TimeSpan.FromSeconds(5)),
            deployment, board, TimeProvider.System, NullLogger<UpdateCoordinator>.Instance);
        var seen = new List<PipelineModelStatus>();
        board.Changed += () => seen.Add(board.Snapshot().Single());
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 20);

        var bundle = BundleFolder("2.0.0", m => m["threshold"] = 1e-9);
        var rejected = await FluentActions.Awaiting(() => coordinator.ProcessAsync(new BundleUpdate(bundle, "demo", "test"), CancellationToken.None))
            .Should().ThrowAsync<OtaRejectedException>();

        rejected.Which.Reason.Should().Be(RejectionReason.ShadowFailed);
        seen.Select(s => s.State).Should().ContainInOrder(UpdateState.Validating, UpdateState.Shadow, UpdateState.Rejected);
        var last = seen[^1];
        last.State.Should().Be(UpdateState.Rejected);
        last.Reason.Should().Be(RejectionReason.ShadowFailed);
        last.Message.Should().Contain("alerted on 100%");
        (last.ActiveName, last.ActiveVersion).Should().Be(("demo", "1.0.0"));
        (last.CandidateName, last.CandidateVersion).Should().Be(("demo", "2.0.0"));
        store.Active("demo")!.Version.Should().Be("1.0.0", "the store names what serves");
        store.Find("demo", "2.0.0").Should().NotBeNull("the refused version stays installed (pruned like any other), never active");
        runner.Pipeline.Model.Should().BeSameAs(old);
        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
    }

    [Fact]
    public async Task A_rollback_to_the_model_served_before_is_not_shadowed_a_new_version_is()
    {
        var (options, store) = Setup();
        var (runner, _, run, stop) = Start(options);
        var deployment = Deployment(options, runner.Pipeline, store, new ShadowOptions { Seconds = 1, MinWindows = 20 });
        await CountingModel.WaitForWindowsAsync(runner.Pipeline, 20);
        var states = new List<UpdateState>();
        async Task DeployAsync(string version)
        {
            states.Clear();
            var failure = await deployment.DeployAsync("demo", Candidate(version), states.Add, CancellationToken.None);
            failure.Should().BeNull(failure?.Message);
            deployment.Serving("demo").Should().Be(("demo", version));
        }

        await DeployAsync("2.0.0");
        states.Should().Equal(UpdateState.Shadow);
        // What 'edgeagent models rollback' deploys: it served already, and would often fail a comparison with its successor by design.
        await DeployAsync("1.0.0");
        states.Should().BeEmpty();
        await DeployAsync("3.0.0");
        states.Should().Equal(UpdateState.Shadow);

        await stop.CancelAsync();
        await run;
        runner.Pipeline.Counters.Windows.Should().Be(runner.Pipeline.Scored);
    }

    [Fact]
    public async Task A_slow_source_extends_the_period_until_minWindows_and_a_silent_one_is_not_waited_for()
    {
        var (options, store) = Setup();
        var pipelineOptions = options.Pipelines[0];
        var features = SensorPipelineFactory.CreateFeatures(pipelineOptions);
        var binding = PipelineModelLoader.Load(_runtime, pipelineOptions, features, pipelineOptions.Model.Path);
        var pipeline = SensorPipelineFactory.Create(pipelineOptions, "test", binding.Model, binding.Threshold, new DiscardQueue(), features);
        var deployment = Deployment(options, pipeline, store, new ShadowOptions { Seconds = 1, MinWindows = 30, MaxSeconds = 120 });

        // No sample at all: decided when the period ends, not after maxSeconds.
        var silent = await deployment.DeployAsync("demo", Candidate("2.0.0"), _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        silent!.Reason.Should().Be(RejectionReason.ShadowFailed);
        silent.Message.Should().Contain("only 0 window(s) reached the shadow").And.Contain("ota.shadow.minWindows (30)");

        // About ten windows a second: the period runs past its 1 s until 30 windows were seen.
        using var stop = new CancellationTokenSource();
        var feeder = Task.Run(async () =>
        {
            var generator = new SignalGenerator(pipelineOptions.Sources[0].Simulated, 2);
            var values = new double[2];
            for (var n = 0L; !stop.IsCancellationRequested; n++)
            {
                generator.Next(values);
                var ticks = (n + 1) * TimeSpan.TicksPerSecond / 10;
                pipeline.OnSample(new Sample(ticks, 0, values[0]));
                pipeline.OnSample(new Sample(ticks, 1, values[1]));
                if (n % 16 == 15)
                {
                    await Task.Delay(100);
                }
            }
        });
        var slow = await deployment.DeployAsync("demo", Candidate("3.0.0"), _ => { }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(100));
        await stop.CancelAsync();
        await feeder;

        slow.Should().BeNull(slow?.Message);
        deployment.LastShadow!.Value.Windows.Should().BeGreaterThanOrEqualTo(30);
        deployment.Serving("demo").Should().Be(("demo", "3.0.0"));
        pipeline.Counters.Windows.Should().Be(pipeline.Scored);
    }

    public void Dispose()
    {
        _runtime.Dispose();
        _dir.Dispose();
    }

    private (AgentOptions Options, ModelStore Store) Setup()
    {
        var loaded = ConfigLoader.Load(new ConfigSources([RepositoryPaths.File("config", "edgeagent.json")],
        [
            $"stateDirectory={_dir.Combine("state")}", "mqtt.enabled=false", "pipelines[0].sources[0].simulated.realTime=false",
            $"pipelines[0].model.path={RepositoryPaths.File("models", "demo", "model.onnx")}",
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
        var runner = new SensorPipelineRunner("demo", SensorPipelineFactory.CreateSources(pipelineOptions, NullLoggerFactory.Instance), pipeline);
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

    private ModelDeployment Deployment(AgentOptions options, SensorPipeline pipeline, ModelStore store, ShadowOptions shadow) =>
        new(options.Pipelines, name => name == "demo" ? pipeline.Slot : null, () => _runtime, store,
            new OtaOptions { HealthWatchSeconds = 0, SwapTimeoutSeconds = 30, Shadow = shadow }, NullLogger<ModelDeployment>.Instance);

    /// <summary>The demo model as another version (optionally another network or manifest), as a bundle folder.</summary>
    private string CandidateFolder(string version, Action<string>? model, Action<JsonObject>? manifest)
    {
        var dir = _dir.Combine("candidates", version);
        Directory.CreateDirectory(dir);
        var onnx = Path.Combine(dir, "model.onnx");
        File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), onnx, overwrite: true);
        model?.Invoke(onnx);
        var json = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!.AsObject();
        json["version"] = version;
        json["sha256"] = BundleSignature.Sha256Hex(onnx);
        manifest?.Invoke(json);
        File.WriteAllText(Path.Combine(dir, "model.json"), json.ToJsonString());
        return dir;
    }

    private StoredModel Candidate(string version, Action<string>? model = null, Action<JsonObject>? manifest = null) =>
        new("demo", version, CandidateFolder(version, model, manifest));

    private string BundleFolder(string version, Action<JsonObject> manifest) => CandidateFolder(version, null, manifest);
}
