using System.Security.Cryptography;
using System.Text.Json;
using EdgeAgent.Cli;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>simulate → calibrate → replay through the real executable, the real ONNX Runtime and real data.</summary>
[Trait("Category", "Process")]
public sealed class CalibrateReplayTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string DemoConfig => RepositoryPaths.File("config", "edgeagent.json");

    [Fact]
    public async Task Bundled_demo_model_is_rebuilt_byte_for_byte_by_the_project_code()
    {
        var normal = _dir.Combine("normal.csv");
        (await AgentProcess.RunAsync(["simulate", "--config", DemoConfig, "--pipeline", "demo", "--seconds", "7200", "--normal", "--out", normal])).ExitCode.Should().Be(0);
        var calibrated = await AgentProcess.RunAsync(["calibrate", "--config", DemoConfig, "--pipeline", "demo", "--input", normal,
            "--out", _dir.Combine("demo"), "--name", "demo", "--version", "1.0.0"]);
        calibrated.ExitCode.Should().Be(0, calibrated.Stderr);
        // 7-bit weights (BaselineOnnxExporter): integer results no longer depend on the CPU (no saturation without VNNI),
        // so this agreement is what every machine computes.
        calibrated.Stdout.Should().Contain("same decision on 99.93 % of the windows");
        foreach (var file in new[] { "model.onnx", "model.float.onnx", "model.json" })
        {
            Hash(_dir.Combine("demo", file)).Should().Be(Hash(RepositoryPaths.File("models", "demo", file)),
                $"models/demo/{file} must be what models/build.sh produces; rebuild it after changing the demo pipeline");
        }
    }

    [Fact]
    public async Task Replay_of_the_demo_finds_every_injected_anomaly_and_stays_quiet_on_normal_data()
    {
        var anomalous = _dir.Combine("anomalous.csv");
        var normal = _dir.Combine("normal.csv");
        await AgentProcess.RunAsync(["simulate", "--config", DemoConfig, "--seconds", "1800", "--out", anomalous]);
        await AgentProcess.RunAsync(["simulate", "--config", DemoConfig, "--seconds", "1800", "--normal", "--out", normal]);

        var replay = await AgentProcess.RunAsync(["replay", "--config", DemoConfig, "--input", anomalous, "--json"]);
        replay.ExitCode.Should().Be(0, replay.Stderr);
        var lines = replay.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // 1800 s hold six 300 s cycles, each with a level shift and a noise burst.
        lines.Count(l => l.GetProperty("type").GetString() == "anomaly_start").Should().Be(12);
        lines.Count(l => l.GetProperty("type").GetString() == "anomaly_end").Should().Be(12);
        lines[^1].GetProperty("type").GetString().Should().Be("summary");

        var quiet = await AgentProcess.RunAsync(["replay", "--config", DemoConfig, "--input", normal]);
        quiet.Stdout.Should().NotContain("anomaly_start");
    }

    [Fact]
    public async Task Calibrate_on_nab_then_replay_with_labels_detects_the_jump()
    {
        var summary = await CalibrateAndReplayNabAsync(
            "art_daily_jumpsup.csv",
            """{ "size": 144, "hop": 48, "maxGapSeconds": 21600 }""",
            """[ "mean", "std", "min", "max", "slope" ]""",
            """{ "raiseWindows": 2, "clearWindows": 6, "cooldownSeconds": 43200, "updateIntervalSeconds": 0 }""",
            []);
        summary.GetProperty("labelled_windows").GetInt32().Should().Be(1);
        summary.GetProperty("detected").GetInt32().Should().Be(1);
        summary.GetProperty("recall").GetDouble().Should().Be(1);
    }

    // The NAB machine-temperature detector of BENCHMARKS.md through the CLI and the ONNX model it writes (the C#
    // harness in Pipelines.Tests scores with the baseline in memory): it must give the same result.
    [Fact]
    public async Task Calibrate_on_nab_machine_temperature_with_trim_then_replay_detects_every_failure()
    {
        var summary = await CalibrateAndReplayNabAsync(
            "machine_temperature_system_failure.csv",
            """{ "size": 288, "hop": 12, "maxGapSeconds": 21600 }""",
            """[ "mean", "std" ]""",
            """{ "raiseWindows": 8, "clearWindows": 24, "cooldownSeconds": 43200, "updateIntervalSeconds": 0 }""",
            ["--trim", "20%", "--margin", "4"]);
        summary.GetProperty("labelled_windows").GetInt32().Should().Be(4);
        summary.GetProperty("detected").GetInt32().Should().Be(4);
        summary.GetProperty("false_alerts").GetInt32().Should().Be(1);
        summary.GetProperty("false_alerts_per_1000_windows").GetDouble().Should().BeLessThan(1);
    }

    /// <summary>Calibrates a one-channel replay pipeline on the first 15% of a NAB file, replays the whole file
    /// with NAB's labels and returns the replay's summary line.</summary>
    private async Task<JsonElement> CalibrateAndReplayNabAsync(string file, string window, string statistics, string alert, string[] calibrateOptions)
    {
        var nab = Path.Combine(RepositoryPaths.SharedData, "nab");
        var model = _dir.Combine(Path.GetFileNameWithoutExtension(file));
        var config = _dir.Write($"{Path.GetFileNameWithoutExtension(file)}.json", $$"""
            {
              "pipelines": [ {
                "name": "nab",
                "sources": [ { "type": "replay", "channels": [ { "name": "value" } ], "replay": { "path": "unused.csv" } } ],
                "window": {{window}},
                "features": [ { "kind": "statistics", "statistics": {{statistics}} }, { "kind": "standardize" } ],
                "model": { "path": "{{Path.Combine(model, "model.onnx")}}" },
                "alert": {{alert}}
              } ]
            }
            """);
        var input = Path.Combine(nab, file);
        var calibrated = await AgentProcess.RunAsync(["calibrate", "--config", config, "--input", input, "--take", "15%", .. calibrateOptions, "--out", model]);
        calibrated.ExitCode.Should().Be(0, calibrated.Stderr);

        var replay = await AgentProcess.RunAsync(["replay", "--config", config, "--input", input, "--labels", Path.Combine(nab, "anomaly_windows.json"), "--json"]);
        replay.ExitCode.Should().Be(0, replay.Stderr);
        return JsonDocument.Parse(replay.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
    }

    [Fact]
    public async Task Bad_inputs_are_clear_errors()
    {
        (await AgentProcess.RunAsync(["calibrate", "--config", DemoConfig, "--input", _dir.Combine("missing.csv"), "--out", _dir.Combine("x")]))
            .Should().Match<(int ExitCode, string Stdout, string Stderr)>(r => r.ExitCode == ExitCodes.DataError && r.Stderr.Contains("does not exist"));
        (await AgentProcess.RunAsync(["calibrate", "--config", DemoConfig, "--input", DemoConfig, "--take", "150%", "--out", _dir.Combine("x")]))
            .ExitCode.Should().Be(ExitCodes.Usage);
        var badTrim = await AgentProcess.RunAsync(["calibrate", "--config", DemoConfig, "--input", DemoConfig, "--trim", "60%", "--out", _dir.Combine("x")]);
        badTrim.ExitCode.Should().Be(ExitCodes.Usage);
        badTrim.Stderr.Should().Contain("--trim must be a share from 0% to 50%");
        (await AgentProcess.RunAsync(["replay", "--config", DemoConfig, "--pipeline", "nope", "--input", DemoConfig]))
            .Stderr.Should().Contain("no sensor pipeline named 'nope'");
        var notOnnx = _dir.Write("bad/model.onnx", "this is not a model");
        var replay = await AgentProcess.RunAsync(["replay", "--config", DemoConfig, "--input", DemoConfig, "--model", notOnnx]);
        replay.ExitCode.Should().Be(ExitCodes.DataError);
        replay.Stderr.Should().Contain("model.onnx");
    }

    private static string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public void Dispose() => _dir.Dispose();
}
