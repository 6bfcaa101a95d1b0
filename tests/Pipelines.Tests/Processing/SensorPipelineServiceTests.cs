using EdgeAgent.Configuration;
using EdgeAgent.Health;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Processing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Processing;

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

    private static ModelBinding FirstFeatureOnly(int d) =>
        new(new BaselineWindowModel(new BaselineModel(d, new double[d], [.. Enumerable.Repeat(1.0, d)], 1, [1, .. new double[d - 1]], [-1e9], [1e9], new double[d], 1, 0)), 10_000);

    [Fact]
    public async Task Each_enabled_sensor_pipeline_runs_as_a_hosted_service_and_publishes()
    {
        var replay = new PipelineOptions
        {
            Name = "nab",
            Sources = [new SourceOptions { Type = SourceType.Replay, Replay = new ReplaySourceOptions { Path = Path.Combine(RepositoryPaths.SharedData, "nab", "art_daily_jumpsup.csv"), Speed = 0 } }],
            Window = new Pipelines.Windowing.WindowOptions { Size = 12, Hop = 12, MaxGapSeconds = 3600 },
            Features = [new Pipelines.Preprocessing.FeatureOptions { Kind = Pipelines.Preprocessing.FeatureKind.Raw }],
            Alert = new AlertOptions { RaiseWindows = 1 },
        };
        var queue = new RecordingQueue();
        using var host = Host([replay, new PipelineOptions { Name = "off", Enabled = false }, new PipelineOptions { Name = "cam", Kind = PipelineKind.Camera }], queue, FirstFeatureOnly);
        var services = host.Services.GetServices<IHostedService>().OfType<SensorPipelineService>().ToList();
        services.Should().ContainSingle().Which.Runner.Name.Should().Be("nab");

        await host.StartAsync();
        (await host.Services.GetRequiredService<ReadinessGate>().WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None)).Should().BeEmpty();
        await SourceRunner.Until(() => services[0].Runner.Pipeline.Counters.Windows == 4032 / 12, "the whole file replayed");
        queue.Events("anomaly_start").Should().NotBeEmpty().And.OnlyContain(e => e.GetProperty("device").GetString() == "edge-7");
        await host.StopAsync();
    }

    [Fact]
    public void A_model_that_does_not_fit_fails_the_start_with_the_pipeline_named()
    {
        var queue = new RecordingQueue();
        using var host = Host([new PipelineOptions { Name = "demo" }], queue, _ => FirstFeatureOnly(3));
        FluentActions.Invoking(() => host.Services.GetServices<IHostedService>().ToList())
            .Should().Throw<AgentStartupException>()
            .Where(e => e.ExitCode == 78)
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
