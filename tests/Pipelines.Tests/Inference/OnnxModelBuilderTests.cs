using System.Diagnostics;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

public sealed class OnnxModelBuilderTests : IDisposable
{
    // Debian's python3-onnx is installed for /usr/bin/python3 (install.sh TEST_PACKAGES); a pyenv python may lack it.
    private const string Python = "/usr/bin/python3";
    private readonly TempDirectory _directory = new("onnx-writer");

    public static TheoryData<string> Models => new() { "add", "every_type", "dynamic_batch", "small_cnn", "small_cnn_qdq", "quantized_matmul", "image_mean" };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_independent_onnx_checker_accepts_what_we_write(string name)
    {
        var path = Build(name).Save(_directory.Combine(name + ".onnx"));

        var (code, output) = RunPython(
            "import onnx, sys\n" +
            "m = onnx.load(sys.argv[1])\n" +
            "onnx.checker.check_model(m, full_check=True)\n" +
            "print(m.ir_version, m.opset_import[0].version, m.producer_name, len(m.graph.node), [i.name for i in m.graph.input])\n",
            path);

        code.Should().Be(0, output);
        output.Should().StartWith("8 17 edgeagent");
    }

    [Fact]
    public void The_checker_rejects_a_broken_model_so_the_check_above_means_something()
    {
        var broken = new OnnxModelBuilder("broken").Input("x", TensorElementType.Float, 1).Output("y", TensorElementType.Float, 1)
            .Node("Add", ["x", "missing"], ["y"]);
        var path = broken.Save(_directory.Combine("broken.onnx"));

        var (code, output) = RunPython("import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\n", path);

        code.Should().NotBe(0);
        output.Should().Contain("missing");
    }

    [Fact]
    public void The_probe_reads_back_ir_version_producer_and_opsets()
    {
        var model = TestModels.Add(4).Opset("com.microsoft", 1);
        var path = model.Save(_directory.Combine("probe.onnx"));

        var header = OnnxFileProbe.Read(path);

        header.IrVersion.Should().Be(8);
        header.Producer.Should().Be("edgeagent");
        header.ProducerVersion.Should().Be("0.1.0");
        header.Opsets.Should().Contain("ai.onnx", 17).And.Contain("com.microsoft", 1);
    }

    public void Dispose() => _directory.Dispose();

    private static OnnxModelBuilder Build(string name) => name switch
    {
        "add" => TestModels.Add(),
        "every_type" => TestModels.EveryType(),
        "dynamic_batch" => TestModels.DynamicBatch(),
        "small_cnn" => TestModels.SmallCnn(),
        "small_cnn_qdq" => TestModels.SmallCnnQdq(),
        "quantized_matmul" => TestModels.QuantizedMatMul(),
        _ => TestModels.ImageMean(),
    };

    private static (int Code, string Output) RunPython(string script, string argument)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(60_000).Should().BeTrue("the onnx checker should finish");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
