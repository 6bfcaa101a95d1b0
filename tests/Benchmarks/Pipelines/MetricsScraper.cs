using System.Diagnostics;
using EdgeAgent.Metrics;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Sensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Pipelines;

/// <summary>
/// The agent's real metrics collector (<see cref="AgentMetrics"/>, as <c>metrics.enabled</c> registers it) over pipelines
/// the probe drives, scraped on a thread of its own far more often than Prometheus would (every
/// <paramref name="interval"/>), so that whatever a scrape costs the pipeline's thread shows in the probe's figures.
/// </summary>
internal sealed class MetricsScraper : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly AgentMetrics _metrics;
    private readonly Thread _thread;
    private readonly TimeSpan _interval;
    private volatile bool _stop;

    public MetricsScraper(IEnumerable<SensorPipeline> pipelines, TimeSpan interval)
    {
        var services = new ServiceCollection();
        services.AddSingleton<HealthMonitor>();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        var index = 0;
        foreach (var pipeline in pipelines)
        {
            var name = $"bench{index++}";
            var runner = new SensorPipelineRunner(name, [], pipeline);
            services.AddSingleton<IHostedService>(provider => new SensorPipelineService(runner.Name, () => runner, provider.GetRequiredService<HealthMonitor>(), new ReadinessGate(),
                new Heartbeat(name, TimeSpan.FromMinutes(1)), NullLogger<SensorPipelineService>.Instance));
        }

        services.AddSingleton<AgentMetrics>();
        _services = services.BuildServiceProvider();
        _metrics = _services.GetRequiredService<AgentMetrics>();
        _interval = interval;
        _thread = new Thread(Loop) { Name = "metrics-scrape", IsBackground = true };
    }

    public long Scrapes { get; private set; }

    public long LastScrapeBytes { get; private set; }

    public void Start() => _thread.Start();

    private void Loop()
    {
        using var buffer = new MemoryStream();
        while (!_stop)
        {
            buffer.SetLength(0);
            _metrics.Registry.CollectAndExportAsTextAsync(buffer).GetAwaiter().GetResult();
            LastScrapeBytes = buffer.Length;
            Scrapes++;
            Thread.Sleep(_interval);
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _services.Dispose();
    }
}

/// <summary>An Information-enabled logger that drops what it is given: the alert lines are formatted as in the agent.</summary>
internal sealed class DiscardingLogger : ILogger
{
    public long Lines { get; private set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _ = formatter(state, exception);
        Lines++;
    }
}
