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

    [Fact]
    public void Every_bound_element_type_round_trips_through_its_pinned_buffer()
    {
        using var session = Load(TestModels.EveryType(), "every_type.onnx");
        session.Inputs.Select(t => t.ElementType).Should().BeEquivalentTo(new[]
        {
            TensorElementType.Float, TensorElementType.Int32, TensorElementType.Int64, TensorElementType.UInt8,
            TensorElementType.Int8, TensorElementType.Float16, TensorElementType.Bool,
        });
        float[] f32 = [-1.5f, 0f, 2f, 3.25f, -0.5f, 7f];
        f32.CopyTo(session.Input("f32").AsSpan<float>());
        new[] { 1, -2, 3, int.MaxValue / 2, 0, -7 }.CopyTo(session.Input("i32").AsSpan<int>());
        new[] { 3L, -4L, 1L << 20, 0L }.CopyTo(session.Input("i64").AsSpan<long>());
        new byte[] { 0, 1, 128, 255 }.CopyTo(session.Input("u8").AsSpan<byte>());
        new sbyte[] { -128 + 1, -1, 0, 127 }.CopyTo(session.Input("i8").AsSpan<sbyte>());
        new[] { (Half)0.5f, (Half)(-2f), (Half)1024f, (Half)0.125f }.CopyTo(session.Input("f16").AsSpan<Half>());
        new[] { true, false, false, true }.CopyTo(session.Input("flag").AsSpan<bool>());

        session.Run();

        session.Output("f32_twice").AsSpan<float>().ToArray().Should().Equal(f32.Select(v => v * 2));
        session.Output("i32_twice").AsSpan<int>().ToArray().Should().Equal(2, -4, 6, int.MaxValue / 2 * 2, 0, -14);
        session.Output("i64_square").AsSpan<long>().ToArray().Should().Equal(9L, 16L, 1L << 40, 0L);
        session.Output("u8_as_f32").AsSpan<float>().ToArray().Should().Equal(0f, 1f, 128f, 255f);
        session.Output("i8_negated").AsSpan<sbyte>().ToArray().Should().Equal(127, 1, 0, -127);
        session.Output("f16_as_f32").AsSpan<float>().ToArray().Should().Equal(0.5f, -2f, 1024f, 0.125f);
        session.Output("flag_not").AsSpan<bool>().ToArray().Should().Equal(false, true, true, false);
        session.Output("positive").AsSpan<bool>().ToArray().Should().Equal(f32.Select(v => v > 0));
    }

    [Fact]
    public void A_span_of_the_wrong_element_type_is_refused_with_the_right_one_named()
    {
        using var session = Load(TestModels.Add(4), "add4.onnx");

        Action act = () => session.Input("x").AsSpan<int>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*'x' holds float32*AsSpan<float>*");
    }

    [Fact]
    public void A_dynamic_batch_dimension_takes_the_batch_size_and_outputs_follow_it()
    {
        using var session = Load(TestModels.DynamicBatch(), "dynamic.onnx", new ModelLoadOptions { BatchSize = 8 });
        session.Input("x").Shape.ToArray().Should().Equal(8, 4);
        session.Input("x").Symbols.Should().Equal("N", null);
        session.Output("y").Shape.ToArray().Should().Equal(8, 4);
        session.Output("s").Shape.ToArray().Should().Equal(8);
        var x = session.Input("x").AsSpan<float>();
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = i % 4 == 0 ? i / 4 : 0;
        }

        session.Run();

        session.Output("s").AsSpan<float>().ToArray().Should().Equal(Enumerable.Range(0, 8).Select(row => row * 1f));
    }

    [Fact]
    public void A_backlog_smaller_than_the_batch_runs_as_fewer_rows_of_the_same_buffers()
    {
        using var session = Load(TestModels.DynamicBatch(), "rows.onnx", new ModelLoadOptions { BatchSize = 8 });
        session.BatchCapacity.Should().Be(8);
        var x = session.Input("x").AsSpan<float>();
        x.Fill(1);
        session.Output("s").AsSpan<float>().Fill(-1);

        session.Run(3);

        // Rows 0..2 are computed (1+2+3+4 = 10); rows 3..7 of the output are untouched.
        session.Output("s").AsSpan<float>().ToArray().Should().Equal(10, 10, 10, -1, -1, -1, -1, -1);
        session.Run(8);
        session.Output("s").AsSpan<float>().ToArray().Should().OnlyContain(v => v == 10);
    }

    [Fact]
    public void Running_varying_row_counts_allocates_nothing_once_each_count_was_seen()
    {
        using var session = Load(TestModels.DynamicBatch(), "rows_alloc.onnx", new ModelLoadOptions { BatchSize = 16 });
        for (var rows = 1; rows <= 16; rows++)
        {
            session.Run(rows);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 3000; i++)
        {
            session.Run(1 + (i % 16));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void A_row_count_outside_the_batch_is_refused(int rows)
    {
        using var session = Load(TestModels.DynamicBatch(), "rows_bad.onnx", new ModelLoadOptions { BatchSize = 8 });

        var act = () => session.Run(rows);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*batches of up to 8 rows*");
    }

    [Fact]
    public void A_model_without_a_dynamic_batch_has_no_row_runs()
    {
        using var session = Load(TestModels.Add(4), "fixed.onnx");

        session.BatchCapacity.Should().Be(0);
        var act = () => session.Run(1);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*no dynamic batch dimension*");
    }

    [Fact]
    public void A_named_dimension_and_a_full_shape_override_are_applied()
    {
        using var byName = Load(TestModels.DynamicBatch(), "named.onnx", new ModelLoadOptions { Dimensions = new Dictionary<string, long> { ["N"] = 3 } });
        byName.Input("x").Shape.ToArray().Should().Equal(3, 4);

        using var byShape = Load(TestModels.DynamicBatch(), "shaped.onnx", new ModelLoadOptions { Shapes = new Dictionary<string, long[]> { ["x"] = [5, 4] } });
        byShape.Output("y").Shape.ToArray().Should().Equal(5, 4);
    }

    [Theory]
    [InlineData("x", new long[] { 2, 5 }, "*'x' is [N, 4]*contradicts dimension 1*")]
    [InlineData("x", new long[] { 2, 4, 1 }, "*'x' has 2 dimensions [N, 4]*has 3*")]
    [InlineData("image", new long[] { 1, 4 }, "*no input named 'image'*inputs are x*")]
    public void A_shape_override_that_contradicts_the_model_fails_naming_the_input(string input, long[] shape, string message)
    {
        var path = TestModels.DynamicBatch().Save(_directory.Combine("contradicted.onnx"));

        var act = () => _fixture.Runtime.LoadModel(path, new ModelLoadOptions { Shapes = new Dictionary<string, long[]> { [input] = shape } });

        act.Should().Throw<ModelLoadException>().Where(e => e.Reason == ModelLoadFailure.ShapeMismatch && e.FilePath == path)
            .WithMessage($"model '{path}'{message}");
    }

    [Fact]
    public void Metadata_reports_producer_opsets_and_properties()
    {
        var model = TestModels.Add(8);
        model.DocString = "adds two vectors";
        model.Metadata("labels", "a,b");
        using var session = Load(model, "meta.onnx");

        session.Metadata.Producer.Should().Be("edgeagent");
        session.Metadata.ProducerVersion.Should().Be("0.1.0");
        session.Metadata.IrVersion.Should().Be(8);
        session.Metadata.Opsets.Should().Contain("ai.onnx", 17);
        session.Metadata.GraphName.Should().Be("add");
        session.Metadata.Description.Should().Be("adds two vectors");
        session.Metadata.Properties.Should().Contain("labels", "a,b").And.Contain("purpose", "per-call overhead");
    }

    [Fact]
    public void Run_allocates_no_managed_memory_in_steady_state()
    {
        using var session = Load(TestModels.SmallCnn(32), "cnn32.onnx");
        TestModels.Noise(3 * 32 * 32, 3).CopyTo(session.Input("input").AsSpan<float>());
        for (var i = 0; i < 50; i++)
        {
            session.Run();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++)
        {
            session.Run();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0);
        session.Output("scores").AsSpan<float>().ToArray().Should().OnlyContain(v => float.IsFinite(v));
    }

    [Fact]
    public void Writing_inputs_and_reading_outputs_through_spans_allocates_nothing_either()
    {
        using var session = Load(TestModels.Add(64), "add_spans.onnx");
        var x = session.Input("x");
        var z = session.Output("z");
        session.Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0f;
        for (var i = 0; i < 5000; i++)
        {
            x.AsSpan<float>()[i % 64] = i;
            session.Run();
            sum += z.AsSpan<float>()[i % 64];
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        sum.Should().NotBe(0);
    }

    public void Dispose() => _directory.Dispose();

    private ModelSession Load(Pipelines.Inference.Onnx.OnnxModelBuilder model, string name, ModelLoadOptions? options = null) =>
        _fixture.Runtime.LoadModel(model.Save(_directory.Combine(name)), options);
}
