using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

[Collection(InferenceCollection.Name)]
public sealed class ModelSessionTests : IDisposable
{
    private readonly RuntimeFixture _fixture;
    private readonly TempDirectory _directory = new("inference");

    public ModelSessionTests(RuntimeFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void Add_computes_the_sum_in_the_bound_output_buffer()
    {
        using var session = Load(TestModels.Add(64), "add.onnx");
        var x = TestModels.Noise(64, 1);
        var y = TestModels.Noise(64, 2);
        x.CopyTo(session.Input("x").AsSpan<float>());
        y.CopyTo(session.Input("y").AsSpan<float>());

        session.Run();

        var z = session.Output("z").AsSpan<float>().ToArray();
        z.Should().Equal(x.Zip(y, (a, b) => a + b));
        session.Providers.Should().Equal("cpu");
    }

    public void Dispose() => _directory.Dispose();

    private ModelSession Load(Pipelines.Inference.Onnx.OnnxModelBuilder model, string name, ModelLoadOptions? options = null) =>
        _fixture.Runtime.LoadModel(model.Save(_directory.Combine(name)), options);
}
