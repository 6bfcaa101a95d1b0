using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class ModelFileErrorTests : IDisposable
{
    private readonly RuntimeFixture _fixture;
    private readonly TempDirectory _directory = new("inference-errors");

    public ModelFileErrorTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void A_missing_file_is_reported_as_not_found()
    {
        var path = _directory.Combine("absent.onnx");

        Expect(path, ModelLoadFailure.NotFound, "*does not exist*");
    }

    [Fact]
    public void An_empty_file_is_reported_as_truncated()
    {
        var path = _directory.Write("empty.onnx", string.Empty);

        Expect(path, ModelLoadFailure.Truncated, "*is empty (0 bytes)*");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.99)]
    public void A_truncated_model_is_reported_as_truncated(double keep)
    {
        var bytes = TestModels.SmallCnn(16).ToBytes();
        var path = _directory.Combine($"truncated-{keep}.onnx");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);

        Expect(path, ModelLoadFailure.Truncated, "*is truncated*copy the model again*");
    }

    [Theory]
    [InlineData("not-onnx.txt", "this is a configuration file, not a model\n")]
    [InlineData("json.onnx", "{\"model\": \"resnet\", \"layers\": [1, 2, 3]}")]
    public void A_file_that_is_not_onnx_is_reported_as_such(string name, string content)
    {
        var path = _directory.Write(name, content);

        Expect(path, ModelLoadFailure.NotOnnx, "*is not an ONNX model*");
    }

    [Fact]
    public void Random_bytes_are_not_onnx()
    {
        var path = _directory.Combine("random.bin");
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var act = () => _fixture.Runtime.LoadModel(path);

        act.Should().Throw<ModelLoadException>().Where(e => e.Reason == ModelLoadFailure.NotOnnx || e.Reason == ModelLoadFailure.Truncated);
    }

    [Fact]
    public void An_unknown_operator_is_reported_as_unsupported_with_ort_s_message()
    {
        var model = new OnnxModelBuilder("unknown_op").Input("x", TensorElementType.Float, 1, 4).Output("y", TensorElementType.Float, 1, 4)
            .Node("FrobnicateTensor", ["x"], ["y"]);
        var path = model.Save(_directory.Combine("unknown-op.onnx"));

        var ex = Expect(path, ModelLoadFailure.UnsupportedModel, "*ONNX Runtime refused it during loading*FrobnicateTensor*");
        ex.InnerException.Should().BeOfType<OrtException>();
    }

    [Fact]
    public void An_opset_newer_than_the_runtime_is_reported_as_unsupported()
    {
        var model = TestModels.Add(4).Opset(string.Empty, 99);
        var path = model.Save(_directory.Combine("opset99.onnx"));

        Expect(path, ModelLoadFailure.UnsupportedModel, "*opset*");
    }

    [Fact]
    public void A_string_input_is_refused_as_an_unsupported_type()
    {
        var model = new OnnxModelBuilder("strings").Input("s", TensorElementType.String, 1).Output("t", TensorElementType.String, 1)
            .Node("Identity", ["s"], ["t"]);
        var path = model.Save(_directory.Combine("strings.onnx"));

        Expect(path, ModelLoadFailure.UnsupportedType, "*input 's' is string tensor*");
    }

    [Fact]
    public void A_failed_load_leaves_the_runtime_usable()
    {
        var bad = _directory.Write("bad.onnx", "garbage");
        var good = TestModels.Add(4).Save(_directory.Combine("good.onnx"));

        var act = () => _fixture.Runtime.LoadModel(bad);
        act.Should().Throw<ModelLoadException>();

        using var session = _fixture.Runtime.LoadModel(good);
        session.Run();
    }

    public void Dispose() => _directory.Dispose();

    private ModelLoadException Expect(string path, ModelLoadFailure reason, string message)
    {
        var act = () => _fixture.Runtime.LoadModel(path);
        return act.Should().Throw<ModelLoadException>()
            .Where(e => e.Reason == reason && e.FilePath == path, $"the reason should be {reason}")
            .WithMessage($"model '{path}'{message}").Which;
    }
}
