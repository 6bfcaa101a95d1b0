using System.Text.Json;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Inference;

/// <summary>Execution providers, the optimised-model cache, profiling and threads, each with its own runtime.</summary>
[Collection(InferenceCollection.Name)]
public sealed class SessionOptionsTests : IDisposable
{
    private readonly TempDirectory _directory = new("inference-options");
    private readonly CapturingLogger _logger = new();
    private InferenceRuntime? _runtime;

    public SessionOptionsTests(RuntimeFixture fixture)
    {
        fixture.Release();
    }

    [Fact]
    public void Providers_this_build_cannot_start_are_logged_once_with_the_available_list_and_cpu_runs_the_model()
    {
        var runtime = Runtime(o => o.ExecutionProviders.AddRange(["cuda", "xnnpack", "cpu"]));
        var path = TestModels.Add(8).Save(_directory.Combine("add.onnx"));

        using (var first = runtime.LoadModel(path))
        using (var second = runtime.LoadModel(path))
        {
            first.Providers.Should().Equal("cpu");
            second.Run();
        }

        var warnings = _logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        warnings.Should().ContainSingle(m => m.Contains("'cuda' is skipped", StringComparison.Ordinal))
            .Which.Should().Contain("CPUExecutionProvider");
        warnings.Should().ContainSingle(m => m.Contains("'xnnpack' is skipped: this ONNX Runtime build does not include it", StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_provider_name_is_a_configuration_error()
    {
        var options = new InferenceOptions();
        options.ExecutionProviders.Add("warpdrive");
        var errors = new List<ConfigError>();

        options.Validate("inference", errors);

        errors.Should().ContainSingle().Which.Path.Should().Be("inference.executionProviders[0]");
    }

    [Fact]
    public void The_optimised_model_cache_is_written_once_and_used_by_the_next_load_with_the_same_results()
    {
        var cache = _directory.Combine("cache");
        var runtime = Runtime(o => o.OptimizedModelCache = cache);
        var path = TestModels.SmallCnn(32).Save(_directory.Combine("cnn.onnx"));
        var input = TestModels.Noise(3 * 32 * 32, 9);

        float[] Scores(ModelSession session)
        {
            input.CopyTo(session.Input("input").AsSpan<float>());
            session.Run();
            return session.Output("scores").AsSpan<float>().ToArray();
        }

        using var cold = runtime.LoadModel(path);
        cold.LoadedFromCache.Should().BeFalse();
        var files = Directory.GetFiles(cache);
        files.Should().ContainSingle().Which.Should().EndWith(".optimized.onnx");
        using var warm = runtime.LoadModel(path);

        warm.LoadedFromCache.Should().BeTrue();
        Scores(warm).Should().Equal(Scores(cold));
        Directory.GetFiles(cache).Should().Equal(files);
    }

    [Fact]
    public void A_damaged_cache_entry_is_rebuilt_from_the_source_model()
    {
        var cache = _directory.Combine("cache");
        var runtime = Runtime(o => o.OptimizedModelCache = cache);
        var path = TestModels.Add(4).Save(_directory.Combine("model.onnx"));
        runtime.LoadModel(path).Dispose();
        var entry = Directory.GetFiles(cache).Single();
        File.WriteAllText(entry, "half-written");

        using (var rebuilt = runtime.LoadModel(path))
        {
            rebuilt.LoadedFromCache.Should().BeFalse();
            rebuilt.Run();
        }

        using var cached = runtime.LoadModel(path);
        cached.LoadedFromCache.Should().BeTrue("the rebuilt entry is valid again");
    }

    [Fact]
    public void A_changed_model_is_not_served_from_a_stale_cache_entry()
    {
        var cache = _directory.Combine("cache");
        var runtime = Runtime(o => o.OptimizedModelCache = cache);
        var path = TestModels.Add(4).Save(_directory.Combine("model.onnx"));
        runtime.LoadModel(path).Dispose();

        TestModels.Add(8).Save(path);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        using var session = runtime.LoadModel(path);

        session.LoadedFromCache.Should().BeFalse();
        session.Input("x").Shape.ToArray().Should().Equal(1, 8);
    }

    [Fact]
    public void Profiling_writes_ort_s_json_profile_to_the_given_prefix()
    {
        var runtime = Runtime(_ => { });
        var prefix = _directory.Combine("profile");
        using var session = runtime.LoadModel(TestModels.SmallCnn(16).Save(_directory.Combine("cnn.onnx")), new ModelLoadOptions { ProfilePrefix = prefix });
        session.Run();

        var file = session.EndProfiling();

        file.Should().StartWith(prefix);
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).Should().Contain("model_run").And.Contain("Gemm_8_kernel_time");
    }

    [Theory]
    [InlineData(GraphOptimization.Disabled, ExecutionMode.Sequential, 1)]
    [InlineData(GraphOptimization.Basic, ExecutionMode.Parallel, 2)]
    [InlineData(GraphOptimization.All, ExecutionMode.Sequential, 0)]
    public void Every_optimisation_level_mode_and_thread_count_gives_the_same_scores(GraphOptimization level, ExecutionMode mode, int threads)
    {
        var path = TestModels.SmallCnn(16).Save(_directory.Combine("cnn.onnx"));
        var runtime = Runtime(o => o.GraphOptimization = GraphOptimization.Disabled);
        using var reference = runtime.LoadModel(path);
        runtime.Dispose();
        var configured = Runtime(o =>
        {
            o.GraphOptimization = level;
            o.ExecutionMode = mode;
            o.IntraOpThreads = threads;
        });
        using var session = configured.LoadModel(path);
        var input = TestModels.Noise(3 * 16 * 16, 4);
        input.CopyTo(reference.Input("input").AsSpan<float>());
        input.CopyTo(session.Input("input").AsSpan<float>());

        reference.Run();
        session.Run();

        var expected = reference.Output("scores").AsSpan<float>().ToArray();
        session.Output("scores").AsSpan<float>().ToArray().Should().BeEquivalentTo(expected, o => o.Using<float>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-4f)).WhenTypeIs<float>());
    }

    [Fact]
    public void AddInference_registers_the_runtime_without_loading_it()
    {
        var services = new ServiceCollection().AddLogging().AddInference(new InferenceOptions { RuntimeLibrary = _directory.Combine("not-there.so") });
        using var provider = services.BuildServiceProvider();

        var inference = provider.GetRequiredService<InferenceRuntimeProvider>();

        inference.IsCreated.Should().BeFalse("nothing is loaded until a pipeline asks for a model");
    }

    public void Dispose()
    {
        _runtime?.Dispose();
        _directory.Dispose();
    }

    private InferenceRuntime Runtime(Action<InferenceOptions> configure)
    {
        var options = new InferenceOptions();
        configure(options);
        return _runtime = InferenceRuntime.Create(options, _logger);
    }
}
