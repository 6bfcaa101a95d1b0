using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Inference.Onnx;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

/// <summary>The shared arena's budget against real allocations: each test creates its own runtime.</summary>
[Collection(InferenceCollection.Name)]
public sealed class ArenaBudgetTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly TempDirectory _directory = new("inference-arena");
    private InferenceRuntime? _runtime;

    public ArenaBudgetTests(RuntimeFixture fixture)
    {
        // The arena is registered on ORT's one environment; the shared runtime must be gone for a new budget to apply.
        fixture.Release();
    }

    [Fact]
    public void A_model_that_fits_reports_its_arena_use_under_the_budget()
    {
        using var session = Runtime(8).LoadModel(MatMul(256), new ModelLoadOptions { BatchSize = 64 });
        session.Run();

        var stats = _runtime!.ArenaStatistics();
        stats["Limit"].Should().Be(8 * MiB);
        stats["InUse"].Should().BeGreaterThanOrEqualTo(256 * 256 * 4, "the weights live in the arena");
        stats["TotalAllocated"].Should().BeLessThanOrEqualTo(8 * MiB);
        _runtime.ArenaBytesInUse.Should().Be(stats["InUse"]);
        _runtime.ArenaBudgetBytes.Should().Be(8 * MiB);
    }

    [Fact]
    public void Weights_larger_than_the_budget_fail_at_load_instead_of_switching_the_cap_off()
    {
        var path = MatMul(2048);

        var act = () => Runtime(8).LoadModel(path);

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.Reason == ModelLoadFailure.OutOfArenaMemory)
            .WithMessage("*after loading its weights the arena holds 16.0 MiB, more than inference.arena.maxMegabytes=8 MiB*Fix: raise inference.arena.maxMegabytes*");
    }

    [Fact]
    public void Activations_larger_than_the_budget_fail_at_warm_up_with_the_budget_named()
    {
        var path = MatMul(256);

        var act = () => Runtime(4).LoadModel(path, new ModelLoadOptions { BatchSize = 2048 });

        act.Should().Throw<ModelLoadException>()
            .Where(e => e.Reason == ModelLoadFailure.OutOfArenaMemory)
            .WithMessage("*does not fit in the inference arena during the first run*maxMegabytes=4 MiB*");
    }

    [Fact]
    public void The_smallest_budget_is_still_enforced()
    {
        var runtime = Runtime(ArenaOptions.MinimumMegabytes);
        using (var small = runtime.LoadModel(MatMul(64), new ModelLoadOptions { BatchSize = 16 }))
        {
            small.Run();
            small.ArenaStatistics()["Limit"].Should().Be(1 * MiB);
        }

        var act = () => runtime.LoadModel(MatMul(256), new ModelLoadOptions { BatchSize = 2048 });

        act.Should().Throw<ModelLoadException>().Where(e => e.Reason == ModelLoadFailure.OutOfArenaMemory);
    }

    [Fact]
    public void A_budget_of_zero_which_ort_reads_as_unlimited_is_refused()
    {
        var options = new InferenceOptions();
        options.Arena.MaxMegabytes = 0;

        var act = () => InferenceRuntime.Create(options);

        act.Should().Throw<ConfigurationException>().WithMessage("*inference.arena.maxMegabytes*below 1 MiB*");
    }

    [Fact]
    public void Models_share_one_budget_and_the_one_that_does_not_fit_leaves_the_others_running()
    {
        var runtime = Runtime(24);
        using var first = runtime.LoadModel(MatMul(2048, "first.onnx"));

        var act = () => runtime.LoadModel(MatMul(2048, "second.onnx"));

        act.Should().Throw<ModelLoadException>().Where(e => e.Reason == ModelLoadFailure.OutOfArenaMemory)
            .WithMessage("*second.onnx*32.0 MiB*includes every model already loaded*");
        first.Input("x").AsSpan<float>().Fill(1);
        first.Run();
        first.Output("y").AsSpan<float>()[0].Should().Be(0, "the weights are zero");
    }

    [Fact]
    public void Without_the_shared_arena_models_load_with_their_own_arenas()
    {
        var options = new InferenceOptions();
        options.Arena.Enabled = false;
        _runtime = InferenceRuntime.Create(options);

        using var session = _runtime.LoadModel(MatMul(2048));
        session.Run();

        _runtime.ArenaBudgetBytes.Should().Be(0);
    }

    public void Dispose()
    {
        _runtime?.Dispose();
        _directory.Dispose();
    }

    private InferenceRuntime Runtime(int megabytes)
    {
        var options = new InferenceOptions();
        options.Arena.MaxMegabytes = megabytes;
        return _runtime = InferenceRuntime.Create(options);
    }

    // y[N, k] = relu(x · W) · W with W = 0 (k x k floats: k=2048 is 16 MiB of weights).
    private string MatMul(int k, string? name = null) =>
        new OnnxModelBuilder("matmul")
            .Input("x", TensorElementType.Float, "N", k)
            .Output("y", TensorElementType.Float, "N", k)
            .Initializer("w", TensorElementType.Float, [k, k], new float[k * k])
            .Node("MatMul", ["x", "w"], ["h"])
            .Node("Relu", ["h"], ["r"])
            .Node("MatMul", ["r", "w"], ["y"])
            .Save(_directory.Combine(name ?? $"matmul{k}.onnx"));
}
