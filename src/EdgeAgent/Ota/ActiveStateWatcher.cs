using EdgeAgent.Ota.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// Makes <c>edgeagent models install --pipeline</c> and <c>models rollback</c> take effect on a running agent: they
/// rewrite the store's active.json, and this loop deploys what it names when the pipeline runs something else
/// (validated and swapped like any update). Polling: it is a few stat calls every two seconds.
/// </summary>
public sealed partial class ActiveStateWatcher : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ModelStore _store;
    private readonly UpdateCoordinator _coordinator;
    private readonly IModelDeployment _deployment;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (string Name, string Version)> _submitted = new(StringComparer.Ordinal);

    public ActiveStateWatcher(ModelStore store, UpdateCoordinator coordinator, IModelDeployment deployment, ILogger<ActiveStateWatcher> logger)
    {
        _store = store;
        _coordinator = coordinator;
        _deployment = deployment;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Scan();
        }
    }

    /// <summary>Submits an update for every pipeline whose active.json entry differs from what it serves.</summary>
    public void Scan()
    {
        if (_deployment.Busy)
        {
            return;
        }

        foreach (var (pipeline, active) in _store.ActiveModels())
        {
            if (!_deployment.Pipelines.Contains(pipeline) || _deployment.Serving(pipeline) is not { } serving ||
                (serving.Name == active.Name && serving.Version == active.Version))
            {
                continue;
            }

            // Once per change: a refused one is not retried every two seconds.
            if (_submitted.GetValueOrDefault(pipeline) == (active.Name, active.Version) || _store.Find(active.Name, active.Version) is not { } model)
            {
                continue;
            }

            _submitted[pipeline] = (active.Name, active.Version);
            LogChanged(_logger, pipeline, active.Name, active.Version);
            _coordinator.Submit(new StoreUpdate(pipeline, model, _store.Find(serving.Name, serving.Version)));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "active.json names {Name} {Version} for pipeline {Pipeline}: deploying it")]
    private static partial void LogChanged(ILogger logger, string pipeline, string name, string version);
}
