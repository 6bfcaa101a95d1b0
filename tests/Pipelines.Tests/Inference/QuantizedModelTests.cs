using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class QuantizedModelTests : IDisposable
{
    private readonly RuntimeFixture _fixture;
    private readonly TempDirectory _directory = new("inference-quantized");

    public QuantizedModelTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void MatMulInteger_and_QLinearMatMul_compute_what_the_spec_says()
    {
        using var session = _fixture.Runtime.LoadModel(TestModels.QuantizedMatMul().Save(_directory.Combine("qmatmul.onnx")));
        var a = Enumerable.Range(0, Quantized.K).Select(i => (byte)(i * 13 % 251)).ToArray();
        a.CopyTo(session.Input("a").AsSpan<byte>());

        session.Run();

        session.Output("int_product").AsSpan<int>().ToArray().Should().Equal(Quantized.ExpectedIntegerProduct(a));
        session.Output("qlinear_product").AsSpan<byte>().ToArray().Should().Equal(Quantized.ExpectedQLinearProduct(a));
    }

    [Fact]
    public void The_int8_qdq_cnn_agrees_with_the_float_cnn_within_quantisation_error()
    {
        using var single = _fixture.Runtime.LoadModel(TestModels.SmallCnn(32).Save(_directory.Combine("cnn.onnx")));
        using var quantized = _fixture.Runtime.LoadModel(TestModels.SmallCnnQdq(32).Save(_directory.Combine("cnn_qdq.onnx")));
        var worst = 0f;
        var range = 0f;
        for (var sample = 0; sample < 10; sample++)
        {
            var input = TestModels.Noise(3 * 32 * 32, 1000 + sample);
            input.CopyTo(single.Input("input").AsSpan<float>());
            input.CopyTo(quantized.Input("input").AsSpan<float>());
            single.Run();
            quantized.Run();
            var expected = single.Output("scores").AsSpan<float>();
            var actual = quantized.Output("scores").AsSpan<float>();
            for (var i = 0; i < expected.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
                range = Math.Max(range, Math.Abs(expected[i]));
            }
        }

        range.Should().BeGreaterThan(0.01f, "the float model must produce non-trivial scores for the comparison to mean anything");
        worst.Should().BeLessThan(0.1f * range + 0.02f);
    }

    [Fact]
    public void A_uint8_image_feeds_directly_without_a_float_copy()
    {
        using var session = _fixture.Runtime.LoadModel(TestModels.ImageMean(8, 8).Save(_directory.Combine("image.onnx")));
        var image = session.Input("image");
        image.ElementType.Should().Be(TensorElementType.UInt8);
        image.Shape.ToArray().Should().Equal(1, 8, 8, 3);
        var pixels = image.AsSpan<byte>();
        for (var p = 0; p < 64; p++)
        {
            pixels[p * 3] = 255;
            pixels[p * 3 + 1] = (byte)(p % 2 == 0 ? 255 : 0);
            pixels[p * 3 + 2] = 0;
        }

        session.Run();

        session.Output("mean").AsSpan<float>().ToArray().Should().BeEquivalentTo(new[] { 1f, 0.5f, 0f }, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-5f)).WhenTypeIs<float>());
    }

    public void Dispose() => _directory.Dispose();
}
