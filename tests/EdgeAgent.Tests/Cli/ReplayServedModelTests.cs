using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>
/// replay and evaluate run the model the agent serves (ModelResolver): the model store's active version when an
/// update made one active, else the configured file; --model still runs another. The store is read as the running
/// agent left it: the verbs create, clean and move nothing in it.
/// </summary>
[Trait("Category", "Process")]
public sealed class ReplayServedModelTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string DemoConfig => RepositoryPaths.File("config", "edgeagent.json");

    [Fact]
    public async Task Replay_and_evaluate_run_the_stores_active_version_and_leave_the_store_as_it_was()
    {
        var state = _dir.Combine("state");
        var environment = new Dictionary<string, string?> { ["STATE_DIRECTORY"] = state };
        var series = Directory.CreateDirectory(_dir.Combine("series")).FullName;
        var anomalous = Path.Combine(series, "anomalous.csv");
        (await AgentProcess.RunAsync(["simulate", "--config", DemoConfig, "--seconds", "1800", "--out", anomalous])).ExitCode.Should().Be(0);

        // No store on this device: the configured (bundled) model serves, and the verbs make no store of their own.
        (await ReplayStartsAsync(environment, anomalous)).Should().Be(12, "six 300 s cycles, each with a level shift and a noise burst");
        (await EvaluateStartsAsync(environment, series, "before")).Should().Be(12);
        Directory.Exists(Path.Combine(state, "models")).Should().BeFalse();

        // An update made active: the bundled model under a new version, with a threshold no window of the demo reaches.
        var store = new ModelStore(state);
        var staged = store.CreateStagingDirectory();
        File.Copy(RepositoryPaths.File("models", "demo", "model.onnx"), Path.Combine(staged, "model.onnx"));
        var manifest = JsonNode.Parse(File.ReadAllText(RepositoryPaths.File("models", "demo", "model.json")))!;
        manifest["version"] = "2.0.0";
        manifest["threshold"] = 1e9;
        File.WriteAllText(Path.Combine(staged, "model.json"), manifest.ToJsonString());
        store.Activate("demo", store.Install(staged, ModelManifest.Parse(File.ReadAllBytes(Path.Combine(staged, "model.json")))));
        // What an update interrupted in the running agent leaves: a reader beside the agent must not clean it up.
        var interrupted = Directory.CreateDirectory(Path.Combine(store.Root, ".staging", "in-progress")).FullName;
        var activeJson = File.ReadAllText(Path.Combine(store.Root, ModelStore.StateFileName));

        var served = await AgentProcess.RunAsync(["replay", "--config", DemoConfig, "--input", anomalous, "--json"], environment);
        served.ExitCode.Should().Be(0, served.Stderr);
        Starts(served.Stdout).Should().Be(0, "the active version's threshold is out of the demo's reach");
        served.Stderr.Should().Contain("pipeline 'demo' serves demo 2.0.0 from the model store");
        (await EvaluateStartsAsync(environment, series, "after")).Should().Be(0);

        // --model runs the configured file again, store or not.
        var explicitModel = await AgentProcess.RunAsync(
            ["replay", "--config", DemoConfig, "--input", anomalous, "--json", "--model", RepositoryPaths.File("models", "demo", "model.onnx")], environment);
        Starts(explicitModel.Stdout).Should().Be(12, explicitModel.Stderr);

        Directory.Exists(interrupted).Should().BeTrue();
        File.ReadAllText(Path.Combine(store.Root, ModelStore.StateFileName)).Should().Be(activeJson);
    }

    private static async Task<int> ReplayStartsAsync(Dictionary<string, string?> environment, string input)
    {
        var replay = await AgentProcess.RunAsync(["replay", "--config", DemoConfig, "--input", input, "--json"], environment);
        replay.ExitCode.Should().Be(0, replay.Stderr);
        return Starts(replay.Stdout);
    }

    private async Task<int> EvaluateStartsAsync(Dictionary<string, string?> environment, string series, string name)
    {
        var evaluated = await AgentProcess.RunAsync(["evaluate", "--config", DemoConfig, "--input", series, "--out", _dir.Combine(name)], environment);
        evaluated.ExitCode.Should().Be(0, evaluated.Stderr);
        return File.ReadAllLines(_dir.Combine(name, "anomalous.csv")).Length - 1;
    }

    private static int Starts(string stdout) => stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Count(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString() == "anomaly_start");

    public void Dispose() => _dir.Dispose();
}
