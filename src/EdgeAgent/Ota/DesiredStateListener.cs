using EdgeAgent.Pipelines.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// Reads the retained desired state on <c>&lt;base&gt;/models/desired</c> and each group's
/// <c>edgeagent/groups/&lt;group&gt;/models/desired</c>, merges them (the device wins over its groups, earlier groups
/// over later ones) and submits one update per pipeline. A bad payload is reported as rejected on every pipeline,
/// counted and logged; the last good state of that topic still counts.
/// </summary>
public sealed partial class DesiredStateListener : IHostedService
{
    private readonly IMessageSubscriptions _subscriptions;
    private readonly UpdateCoordinator _coordinator;
    private readonly IModelDeployment _deployment;
    private readonly OtaStatusBoard _board;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _deviceTopic;
    private readonly IReadOnlyList<string> _groupTopics;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, IReadOnlyList<DesiredModel>> _latest = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _handles = [];
    private long _rejected;

    public DesiredStateListener(string baseTopic, IReadOnlyList<string> groups, IMessageSubscriptions subscriptions, UpdateCoordinator coordinator,
        IModelDeployment deployment, OtaStatusBoard board, TimeProvider time, ILogger<DesiredStateListener> logger)
    {
        _deviceTopic = baseTopic + "/" + MqttTopics.ModelsDesired;
        _groupTopics = [.. groups.Select(MqttTopics.GroupModelsDesired)];
        _subscriptions = subscriptions;
        _coordinator = coordinator;
        _deployment = deployment;
        _board = board;
        _time = time;
        _logger = logger;
    }

    /// <summary>Desired-state payloads refused (malformed, unknown pipeline).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var topic in _groupTopics.Prepend(_deviceTopic))
        {
            _handles.Add(_subscriptions.Subscribe(topic, OnMessage, 64 * 1024));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var handle in _handles)
        {
            handle.Dispose();
        }

        _handles.Clear();
        return Task.CompletedTask;
    }

    /// <summary>Handles one desired-state message (public for tests that drive it without a broker).</summary>
    public void OnMessage(string topic, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            // A cleared retained message: nothing is desired from that topic any more.
            lock (_lock)
            {
                _latest.Remove(topic);
            }

            return;
        }

        IReadOnlyList<DesiredModel> parsed;
        try
        {
            parsed = DesiredStateParser.Parse(payload, topic, _deployment.Pipelines);
        }
        catch (OtaRejectedException ex)
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(_logger, topic, ex.Reason, ex.Message);
            foreach (var pipeline in _deployment.Pipelines)
            {
                _board.Set(pipeline, old => new PipelineModelStatus(pipeline, old?.ActiveName, old?.ActiveVersion, old?.PreviousName, old?.PreviousVersion,
                    UpdateState.Rejected, null, null, ex.Reason, ex.Message, _time.GetUtcNow()));
            }

            return;
        }

        IReadOnlyDictionary<string, DesiredModel> merged;
        lock (_lock)
        {
            _latest[topic] = parsed;
            merged = DesiredStateParser.Merge(_latest.GetValueOrDefault(_deviceTopic) ?? [],
                _groupTopics.Select(t => _latest.GetValueOrDefault(t) ?? []));
        }

        foreach (var desired in merged.Values)
        {
            _coordinator.Submit(new DesiredUpdate(desired));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Desired state on {Topic} refused ({Reason}): {Message}")]
    private static partial void LogRejected(ILogger logger, string topic, RejectionReason reason, string message);
}
