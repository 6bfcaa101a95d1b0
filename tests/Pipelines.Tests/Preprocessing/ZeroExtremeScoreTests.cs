using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Tests.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Preprocessing;

/// <summary>
/// The statistics' min and max are one instruction each (minpd/maxpd) rather than the IEEE minimum/maximum; for
/// the finite values a window holds they differ only in which zero a min(-0, +0) or max(-0, +0) returns. Through
/// standardisation the sign cannot survive ((±0 - mean) is -mean exactly for any mean but 0); when a zero reaches
/// the model (no standardisation, or a mean of exactly 0), the bundled models and the scorer must give the same
/// score to the bit for +0 and -0 in every input position.
/// </summary>
[Collection(InferenceCollection.Name)]
public sealed class ZeroExtremeScoreTests
{
    private readonly RuntimeFixture _fixture;

    public ZeroExtremeScoreTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Theory]
    [InlineData("model.onnx")]
    [InlineData("model.float.onnx")]
    public void The_sign_of_a_zero_feature_cannot_change_a_score(string file)
    {
        using var model = new OnnxWindowModel(_fixture.Runtime.LoadModel(RepositoryPaths.File("models", "demo", file)), string.Empty, string.Empty);
        var scorer = new ReconstructionScorer([.. Enumerable.Range(0, model.Input.Length).Select(i => new[] { (byte)i })]);
        var random = new Random(3);
        var features = Enumerable.Range(0, model.Input.Length).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        for (var k = 0; k < features.Length; k++)
        {
            var positive = ScoreWith(model, scorer, features, k, 0f, out var positiveOutput);
            var negative = ScoreWith(model, scorer, features, k, -0f, out var negativeOutput);

            BitConverter.DoubleToInt64Bits(negative).Should().Be(BitConverter.DoubleToInt64Bits(positive), $"feature {k} of {file}");
            negativeOutput.Should().Equal(positiveOutput, $"feature {k} of {file}");
            double.IsFinite(positive).Should().BeTrue();
        }
    }

    private static double ScoreWith(OnnxWindowModel model, ReconstructionScorer scorer, float[] features, int k, float zero, out float[] output)
    {
        features.CopyTo(model.Input);
        model.Input[k] = zero;
        model.Run();
        output = model.Output.ToArray();
        return scorer.Score(model.Input, model.Output);
    }
}
