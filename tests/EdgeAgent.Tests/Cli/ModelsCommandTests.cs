using System.Diagnostics;
using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary><c>edgeagent models inspect|bench</c> through the real executable on models written to a temp dir.</summary>
[Trait("Category", "Process")]
public sealed class ModelsCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new("models-cli");

    [Fact]
    public async Task Inspect_lists_inputs_outputs_types_shapes_opsets_and_providers()
    {
        var path = TestModels.DynamicBatch().Metadata("labels", "normal,anomaly").Save(_directory.Combine("dynamic.onnx"));

        var (code, stdout, stderr) = await AgentProcess.RunAsync(["models", "inspect", path]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("x  float32  [N, 4]").And.Contain("s  float32  [N]")
            .And.Contain("ONNX IR 8; opsets ai.onnx 17").And.Contain("labels = normal,anomaly")
            .And.Contain("CPUExecutionProvider").And.Contain("this session uses: cpu");
    }

    [Fact]
    public async Task Inspect_json_is_one_object_with_the_model_s_signature()
    {
        var path = TestModels.EveryType().Save(_directory.Combine("types.onnx"));

        var (code, stdout, stderr) = await AgentProcess.RunAsync(["models", "inspect", path, "--json"]);

        code.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var inputs = json.RootElement.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToList();
        inputs.Should().BeEquivalentTo("float32", "int32", "int64", "uint8", "int8", "float16", "bool");
        json.RootElement.GetProperty("opsets").GetProperty("ai.onnx").GetInt32().Should().Be(17);
        json.RootElement.GetProperty("ort_version").GetString().Should().Be("1.30.0");
    }

    [Fact]
    public async Task Bench_json_reports_latency_percentiles_zero_allocation_rss_and_providers()
    {
        var path = TestModels.SmallCnn(32).Save(_directory.Combine("cnn.onnx"));

        var (code, stdout, stderr) = await AgentProcess.RunAsync(
            ["models", "bench", path, "--runs", "200", "--warmup", "20", "--threads", "1", "--json"]);

        code.Should().Be(0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        root.GetProperty("runs").GetInt32().Should().Be(200);
        var median = root.GetProperty("median_us").GetDouble();
        median.Should().BeGreaterThan(0);
        root.GetProperty("p99_us").GetDouble().Should().BeGreaterThanOrEqualTo(median);
        root.GetProperty("max_us").GetDouble().Should().BeGreaterThanOrEqualTo(root.GetProperty("p99_us").GetDouble());
        root.GetProperty("allocated_bytes_per_run").GetDouble().Should().Be(0);
        root.GetProperty("peak_rss_bytes").GetInt64().Should().BeGreaterThan(10 * 1024 * 1024);
        root.GetProperty("arena_bytes_in_use").GetInt64().Should().BeGreaterThan(0, "the CNN's weights live in the shared arena");
        root.GetProperty("providers").EnumerateArray().Select(p => p.GetString()).Should().Equal("cpu");
        root.GetProperty("intra_op_threads").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Bench_applies_shape_overrides_and_warns_once_about_providers_this_build_cannot_start()
    {
        var path = TestModels.DynamicBatch().Save(_directory.Combine("dynamic.onnx"));

        var (code, stdout, stderr) = await AgentProcess.RunAsync(
            ["models", "bench", path, "--runs", "50", "--shape", "x=16x4", "--providers", "cuda,xnnpack,cpu"]);

        code.Should().Be(0, stderr);
        stdout.Should().Contain("x: float32[16x4]").And.Contain("providers used: cpu").And.Contain("0 managed bytes per run");
        stderr.Should().Contain("Execution provider 'xnnpack' is skipped").And.Contain("CPUExecutionProvider");
        stderr.Split('\n').Count(l => l.Contains("'cuda' is skipped", StringComparison.Ordinal)).Should().Be(1);
    }

    [Theory]
    [InlineData("x=16x5", 65, "*input 'x' is [N, 4]*contradicts dimension 1*")]
    [InlineData("x=16xfour", 64, "*--shape 'x=16xfour' is not NAME=DIMS*")]
    public async Task Bench_rejects_a_bad_shape_with_one_line(string shape, int exit, string message)
    {
        var path = TestModels.DynamicBatch().Save(_directory.Combine("dynamic.onnx"));

        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "bench", path, "--shape", shape]);

        code.Should().Be(exit);
        stderr.Trim().Should().Match(message).And.NotContain("   at ");
    }

    [Theory]
    [InlineData("inference.arena.maxMegabytes=0", "*inference.arena.maxMegabytes*")]
    [InlineData("inference.executionProviders[0]=warpdrive", "*inference.executionProviders?0?*'warpdrive' is not an execution provider*")]
    [InlineData("inference.graphOptimization=maximum", "*inference.graphOptimization*")]
    public async Task A_bad_inference_setting_exits_78_naming_its_path(string setting, string message)
    {
        var path = TestModels.Add(4).Save(_directory.Combine("add.onnx"));

        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "bench", path, "--set", setting]);

        code.Should().Be(78);
        stderr.Should().Match(message);
    }

    [Fact]
    public async Task A_model_that_is_not_onnx_exits_65_naming_the_file()
    {
        var path = _directory.Write("notes.onnx", "not a model");

        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "inspect", path]);

        code.Should().Be(65);
        stderr.Should().Contain($"model '{path}': is not an ONNX model").And.NotContain("   at ");
    }

    [Fact]
    public async Task A_missing_runtime_library_exits_69_with_the_fix()
    {
        var path = TestModels.Add(4).Save(_directory.Combine("add.onnx"));

        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "inspect", path],
            new Dictionary<string, string?> { ["EDGEAGENT_ORT_LIB"] = _directory.Combine("absent", "libonnxruntime.so.1") });

        code.Should().Be(69);
        stderr.Should().Contain("cannot be loaded").And.Contain("cannot open shared object file").And.Contain("inference.runtimeLibrary");
    }

    [Fact]
    public async Task A_library_for_another_cpu_exits_69_naming_the_architecture()
    {
        var foreign = _directory.Combine("libonnxruntime.so.1");
        File.Copy(Environment.GetEnvironmentVariable("EDGEAGENT_ORT_LIB")!, foreign);
        using (var file = File.OpenWrite(foreign))
        {
            file.Position = 18;
            file.Write([0xB7, 0x00]); // e_machine = AArch64
        }

        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "inspect", TestModels.Add(4).Save(_directory.Combine("add.onnx"))],
            new Dictionary<string, string?> { ["EDGEAGENT_ORT_LIB"] = foreign });

        code.Should().Be(69);
        stderr.Should().Contain("built for Arm64").And.Contain("wrong architecture");
    }

    [Fact]
    public async Task A_shared_library_that_is_not_onnx_runtime_exits_69()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "inspect", TestModels.Add(4).Save(_directory.Combine("add.onnx"))],
            new Dictionary<string, string?> { ["EDGEAGENT_ORT_LIB"] = CompileLibrary("not_ort", "int answer(void) { return 42; }\n") });

        code.Should().Be(69);
        stderr.Should().Contain("is not an ONNX Runtime library (it has no OrtGetApiBase)");
    }

    [Fact]
    public async Task A_runtime_too_old_for_api_30_exits_69_with_its_version()
    {
        const string source =
            "#include <stddef.h>\n" +
            "static const void* get_api(unsigned version) { (void)version; return NULL; }\n" +
            "static const char* version_string(void) { return \"1.10.0\"; }\n" +
            "static const struct { const void* (*get_api)(unsigned); const char* (*version)(void); } base = { get_api, version_string };\n" +
            "const void* OrtGetApiBase(void) { return &base; }\n";

        var (code, _, stderr) = await AgentProcess.RunAsync(["models", "inspect", TestModels.Add(4).Save(_directory.Combine("add.onnx"))],
            new Dictionary<string, string?> { ["EDGEAGENT_ORT_LIB"] = CompileLibrary("old_ort", source) });

        code.Should().Be(69);
        stderr.Should().Contain("ONNX Runtime 1.10.0").And.Contain("is too old").And.Contain("API version 30");
    }

    public void Dispose() => _directory.Dispose();

    private string CompileLibrary(string name, string source)
    {
        var c = _directory.Write(name + ".c", source);
        var so = _directory.Combine($"lib{name}.so");
        var gcc = Process.Start(new ProcessStartInfo("gcc", ["-shared", "-fPIC", "-o", so, c]) { RedirectStandardError = true })!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        gcc.ExitCode.Should().Be(0, errors);
        return so;
    }
}
