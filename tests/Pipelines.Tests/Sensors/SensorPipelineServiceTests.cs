using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sensors;

public sealed class SensorPipelineServiceTests
{
    private static IHost Host(IReadOnlyList<PipelineOptions> pipelines, RecordingQueue queue, Func<int, ModelBinding> model)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddSingleton<HealthMonitor>();
        builder.Services.AddSingleton<ReadinessGate>();
        builder.Services.AddSingleton<IOutboundQueue>(queue);
        builder.Services.AddSensorPipelines(pipelines, "edge-7", (_, _, features) => model(features.Length));
        return builder.Build();
    }

    private static PipelineOptions Replay(string name) => new()
    {
        Name = name,
        Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = Path.Combine(RepositoryPaths.SharedData, "nab", "art_daily_jumpsup.csv"), Speed = 0 } }],
        Window = new Pipelines.Windowing.WindowOptions { Size = 12, Hop = 12, MaxGapSeconds = 3600 },
        Features = [new Pipelines.Preprocessing.FeatureOptions { Kind = Pipelines.Preprocessing.FeatureKind.Raw }],
        Alert = new AlertOptions { RaiseWindows = 1 },
    };

    private static ModelBinding FirstFeatureOnly(int d) =>
        new(new BaselineWindowModel(new BaselineModel(d, new double[d], [.. Enumerable.Repeat(1.0, d)], 1, [1, .. new double[d - 1]], [-1e9], [1e9], new double[d], 1, 0)), 10_000);

    [Fact]
    public async Task Each_enabled_sensor_pipeline_runs_as_a_hosted_service_and_publishes()
    {
        var replay = Replay("nab");
        var queue = new RecordingQueue();
        using var host = Host([replay, new PipelineOptions { Name = "off", Enabled = false }, new PipelineOptions { Name = "cam", Kind = PipelineKind.Camera }], queue, FirstFeatureOnly);
        var services = host.Services.GetServices<IHostedService>().OfType<SensorPipelineService>().ToList();
        services.Should().ContainSingle().Which.Runner!.Name.Should().Be("nab");

        await host.StartAsync();
        (await host.Services.GetRequiredService<ReadinessGate>().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None)).Should().BeEmpty();
        await SourceRunner.Until(() => services[0].Runner!.Pipeline.Counters.Windows == 4032 / 12, "the whole file replayed");
        queue.Events("anomaly_start").Should().NotBeEmpty().And.OnlyContain(e => e.GetProperty("device").GetString() == "edge-7");
        await host.StopAsync();
    }

    [Fact]
    public async Task A_pipeline_whose_model_cannot_be_loaded_is_reported_failed_does_not_hold_back_ready_and_recovers()
    {
        var attempts = 0;
        ModelBinding Flaky(int d) => Interlocked.Increment(ref attempts) == 1
            ? throw new ModelUnusableException("pipeline 'nab': model file '/gone/model.onnx' does not exist")
            : FirstFeatureOnly(d);
        var queue = new RecordingQueue();
        using var host = Host([Replay("nab")], queue, Flaky);
        var service = host.Services.GetServices<IHostedService>().OfType<SensorPipelineService>().Single();
        service.Runner.Should().BeNull();
        service.Failure.Should().Contain("does not exist");
        service.Check(0).Should().Be(HealthReport.Degraded("not running: pipeline 'nab': model file '/gone/model.onnx' does not exist"));

        await host.StartAsync();
        (await host.Services.GetRequiredService<ReadinessGate>().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None)).Should().BeEmpty();
        host.Services.GetRequiredService<HealthMonitor>().CheckAll().Should().Contain(r => r.Name == "nab" && r.Report.State == HealthState.Degraded);

        // The first retry comes about 5 s later and finds the model.
        await SourceRunner.Until(() => service.Runner?.Pipeline.Counters.Windows == 4032 / 12, "the pipeline built on retry and the whole file replayed");
        service.Failure.Should().BeNull();
        service.BuildFailures.Should().Be(1);
        queue.Events("anomaly_start").Should().NotBeEmpty();
        await host.StopAsync();
    }

    [Fact]
    public void A_model_that_does_not_fit_fails_the_start_with_the_pipeline_named()
    {
        var queue = new RecordingQueue();
        using var host = Host([new PipelineOptions { Name = "demo" }], queue, _ => FirstFeatureOnly(3));
        FluentActions.Invoking(() => host.Services.GetServices<IHostedService>().ToList())
            .Should().Throw<ConfigurationException>()
            .WithMessage("pipeline 'demo': the model takes 3 input values but the feature pipeline writes 7 (value.mean, *");
    }

    [Fact]
    public void Nothing_is_registered_without_sensor_pipelines()
    {
        var services = new ServiceCollection();
        services.AddSensorPipelines([new PipelineOptions { Name = "cam", Kind = PipelineKind.Camera }], "d", (_, _, _) => throw new InvalidOperationException());
        services.Should().BeEmpty();
    }
}
