using System.Text.Json;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>Issue 17: <c>models inspect</c> reads a model's signature without running it.</summary>
public sealed class ModelsInspectTests : IDisposable
{
    private readonly TempDirectory _directory = new("models-inspect");

    public void Dispose() => _directory.Dispose();

    /// <summary>
    /// Like Silero VAD: a dynamic [batch, samples] input that no run with every dynamic dim set to 1 accepts (a Reshape
    /// to [-1, 64] needs samples to be a multiple of 64). Inspect must still describe it, since it does not run it.
    /// </summary>
    [Fact]
    public async Task A_model_that_cannot_run_with_every_dynamic_dimension_at_1_is_inspected_without_a_run()
    {
        var path = new OnnxModelBuilder("vad_like")
            .Input("input", TensorElementType.Float, "batch", "samples")
            .Output("frames", TensorElementType.Float, "n", 64)
            .Initializer("shape", TensorElementType.Int64, [2], new[] { -1L, 64L })
            .Node("Reshape", ["input", "shape"], ["frames"])
            .Save(_directory.Combine("vad_like.onnx"));

        var (code, stdout, stderr) = await AgentProcess.RunAsync(["models", "inspect", path]);
        code.Should().Be(0, stderr);
        stdout.Should().Contain("input  float32  [batch, samples]").And.Contain("frames  float32  [n, 64]");

        var (jsonCode, json, jsonError) = await AgentProcess.RunAsync(["models", "inspect", path, "--json"]);
        jsonCode.Should().Be(0, jsonError);
        var input = JsonDocument.Parse(json).RootElement.GetProperty("inputs")[0];
        input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).Should().Equal(-1, -1);
        input.GetProperty("declared_shape").GetString().Should().Be("[batch, samples]");
    }
}
