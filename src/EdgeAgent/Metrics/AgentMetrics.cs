using System.Diagnostics;
using EdgeAgent.Mqtt;
using EdgeAgent.Ota;
using EdgeAgent.Ota.Store;
using EdgeAgent.Outbox;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Prometheus;

namespace EdgeAgent.Metrics;

/// <summary>
/// The agent's metrics, named after Prometheus's conventions (base units in the name, <c>_total</c> on counters). Every
/// value is copied from the counters that telemetry and STATUS already read, in a callback that runs before each
/// scrape; the pipelines' loops do nothing more with metrics on than with them off.
/// </summary>
internal sealed class AgentMetrics
{
    private static readonly string[] HealthStates = ["healthy", "degraded", "unhealthy"];

    private readonly IServiceProvider _services;
    private readonly PipelineMetrics _pipelines;
    private readonly Lock _lock = new();
    private readonly Gauge _info;
    private readonly Gauge _health;
    private readonly Gauge _mqttConnected;
    private readonly Gauge _mqttState;
    private readonly Counter _mqttConnections;
    private readonly Counter _mqttInboundDropped;
    private readonly Gauge _outboxDepth;
    private readonly Gauge _outboxBytes;
    private readonly Gauge _outboxOldest;
    private readonly Gauge _outboxInFlight;
    private readonly Counter _outboxAccepted;
    private readonly Counter _outboxDelivered;
    private readonly Counter _outboxDropped;
    private readonly Counter _outboxRejected;
    private readonly Gauge _outboxDiskFull;
    private readonly Gauge _outboxMemoryDepth;
    private readonly Gauge _outboxMemoryBytes;
    private readonly Counter _outboxUnpersisted;
    private readonly Counter _outboxUnpersistedDelivered;
    private readonly Counter _outboxMemoryDropped;
    private readonly Gauge _otaState;
    private readonly Gauge _modelInfo;
    private readonly Gauge _rss;
    private readonly Counter _cpu;
    private readonly Gauge _startTime;
    private readonly Counter _gcCollections;
    private readonly Gauge _gcHeap;
    private readonly Counter _gcAllocated;
    private readonly Counter _gcPause;
    private readonly double _started = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    public AgentMetrics(IServiceProvider services)
    {
        _services = services;

        // A registry of our own: prometheus-net's default one would add its event listeners to the process.
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var f = Prometheus.Metrics.WithCustomRegistry(Registry);
        _pipelines = new PipelineMetrics(f);
        _info = f.CreateGauge("edgeagent_build_info", "Always 1; the agent's version as a label.", "version");
        _health = f.CreateGauge("edgeagent_health_state", "1 for each component's current health state (healthy, degraded, unhealthy).", "component", "state");
        _mqttConnected = f.CreateGauge("edgeagent_mqtt_connected", "1 while the broker connection is up.");
        _mqttState = f.CreateGauge("edgeagent_mqtt_state", "1 for the link's current state (connected, connecting, refused, unreachable).", "state");
        _mqttConnections = f.CreateCounter("edgeagent_mqtt_connections_total", "Successful connections to the broker since start; more than one means reconnects.");
        _mqttInboundDropped = f.CreateCounter("edgeagent_mqtt_inbound_dropped_total", "Inbound messages dropped, by reason.", "reason");
        _outboxDepth = f.CreateGauge("edgeagent_outbox_messages", "Messages waiting in the durable outbox.");
        _outboxBytes = f.CreateGauge("edgeagent_outbox_bytes", "Payload bytes waiting in the durable outbox.");
        _outboxOldest = f.CreateGauge("edgeagent_outbox_oldest_age_seconds", "Age of the oldest waiting message (0 when empty).");
        _outboxInFlight = f.CreateGauge("edgeagent_outbox_in_flight_messages", "Messages sent and not yet acknowledged by the broker.");
        _outboxAccepted = f.CreateCounter("edgeagent_outbox_accepted_messages_total", "Messages accepted into the outbox since start.");
        _outboxDelivered = f.CreateCounter("edgeagent_outbox_delivered_messages_total", "Messages the broker acknowledged since start.");
        _outboxDropped = f.CreateCounter("edgeagent_outbox_dropped_messages_total", "Messages dropped by the size or age cap since start.");
        _outboxRejected = f.CreateCounter("edgeagent_outbox_rejected_messages_total", "Messages the broker rejected since start.");
        _outboxDiskFull = f.CreateGauge("edgeagent_outbox_disk_full", "1 while the outbox file cannot be written (disk full) and new messages are held in memory.");
        _outboxMemoryDepth = f.CreateGauge("edgeagent_outbox_memory_messages", "Messages held in memory because the disk is full.");
        _outboxMemoryBytes = f.CreateGauge("edgeagent_outbox_memory_bytes", "Bytes of the messages held in memory because the disk is full.");
        _outboxUnpersisted = f.CreateCounter("edgeagent_outbox_unpersisted_messages_total", "Messages accepted while the disk was full (held in memory, not written to the outbox file) since start.");
        _outboxUnpersistedDelivered = f.CreateCounter("edgeagent_outbox_unpersisted_delivered_messages_total", "Messages the broker acknowledged straight from memory while the disk was full, since start.");
        _outboxMemoryDropped = f.CreateCounter("edgeagent_outbox_memory_dropped_messages_total", "Messages dropped from memory (its bound was reached) while the disk was full, since start.");
        _otaState = f.CreateGauge("edgeagent_ota_update_state", "1 for each pipeline's current model update state.", "pipeline", "state");
        _modelInfo = f.CreateGauge("edgeagent_model_info", "Always 1; the model version each pipeline's store marks active.", "pipeline", "model", "version");
        _rss = f.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        _cpu = f.CreateCounter("process_cpu_seconds_total", "User and system CPU time spent in seconds.");
        _startTime = f.CreateGauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.");
        _gcCollections = f.CreateCounter("dotnet_gc_collections_total", "Garbage collections since start, by generation.", "generation");
        _gcHeap = f.CreateGauge("dotnet_gc_heap_size_bytes", "Managed heap size after the last collection.");
        _gcAllocated = f.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.");
        _gcPause = f.CreateCounter("dotnet_gc_pause_seconds_total", "Time the process was paused by the garbage collector.");
        _info.WithLabels(typeof(AgentMetrics).Assembly.GetName().Version?.ToString(3) ?? "0").Set(1);
        Registry.AddBeforeCollectCallback(Collect);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Copies every value; runs on the scraping request's thread, one scrape at a time.</summary>
    internal void Collect()
    {
        lock (_lock)
        {
            CollectHealth();
            CollectLink();
            CollectOutbox();
            _pipelines.Collect(_services.GetServices<IHostedService>());
            CollectModels();
            CollectProcess();
        }
    }

    private void CollectHealth()
    {
        foreach (var (name, report) in _services.GetRequiredService<HealthMonitor>().CheckAll())
        {
            var current = (int)report.State;
            for (var i = 0; i < HealthStates.Length; i++)
            {
                _health.WithLabels(name, HealthStates[i]).Set(i == current ? 1 : 0);
            }
        }
    }

    private void CollectLink()
    {
        if (_services.GetService<MqttLink>() is not { } link)
        {
            _mqttState.WithLabels("disabled").Set(1);
            return;
        }

        var state = link.State;
        _mqttConnected.Set(state == ConnectionState.Connected ? 1 : 0);
        foreach (var each in (ReadOnlySpan<ConnectionState>)[ConnectionState.Connected, ConnectionState.Connecting, ConnectionState.Refused, ConnectionState.Unreachable])
        {
            _mqttState.WithLabels(TelemetryReport.ConnectionStateName(each)).Set(each == state ? 1 : 0);
        }

        _mqttConnections.IncTo(link.ConnectionsMade);
        var (oversized, malformed, overflowed) = link.InboundDrops;
        _mqttInboundDropped.WithLabels("oversized").IncTo(oversized);
        _mqttInboundDropped.WithLabels("malformed").IncTo(malformed);
        _mqttInboundDropped.WithLabels("overflowed").IncTo(overflowed);
    }

    private void CollectOutbox()
    {
        if (_services.GetService<DurableOutbox>() is not { } outbox)
        {
            return;
        }

        var stats = outbox.Statistics;
        _outboxDepth.Set(stats.Depth);
        _outboxBytes.Set(stats.Bytes);
        _outboxOldest.Set(stats.OldestAgeSeconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        _outboxInFlight.Set(stats.InFlight);
        _outboxAccepted.IncTo(stats.Accepted);
        _outboxDelivered.IncTo(stats.Delivered);
        _outboxDropped.IncTo(stats.Dropped);
        _outboxRejected.IncTo(stats.Rejected);
        _outboxDiskFull.Set(stats.DiskFull ? 1 : 0);
        _outboxMemoryDepth.Set(stats.Held);
        _outboxMemoryBytes.Set(stats.HeldBytes);
        _outboxUnpersisted.IncTo(stats.Unpersisted);
        _outboxUnpersistedDelivered.IncTo(stats.DeliveredUnpersisted);
        _outboxMemoryDropped.IncTo(stats.HeldDropped);
    }

    private void CollectModels()
    {
        if (_services.GetService<OtaStatusBoard>() is { } board)
        {
            foreach (var status in board.Snapshot())
            {
                foreach (var state in Enum.GetValues<UpdateState>())
                {
                    _otaState.WithLabels(status.Pipeline, PipelineMetrics.Snake(state.ToString())).Set(state == status.State ? 1 : 0);
                }
            }
        }

        if (_services.GetService<ModelStore>() is { } store)
        {
            foreach (var (pipeline, active) in store.ActiveModels())
            {
                // A new version replaces the old series rather than adding a second 1.
                foreach (var labels in _modelInfo.GetAllLabelValues().Where(l => l[0] == pipeline && (l[1] != active.Name || l[2] != active.Version)).ToList())
                {
                    _modelInfo.RemoveLabelled(labels);
                }

                _modelInfo.WithLabels(pipeline, active.Name, active.Version).Set(1);
            }
        }
    }

    private void CollectProcess()
    {
        using var process = Process.GetCurrentProcess();
        _rss.Set(process.WorkingSet64);
        _cpu.IncTo(process.TotalProcessorTime.TotalSeconds);
        _startTime.Set(_started);
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            _gcCollections.WithLabels(generation.ToString(System.Globalization.CultureInfo.InvariantCulture)).IncTo(GC.CollectionCount(generation));
        }

        _gcHeap.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
        _gcAllocated.IncTo(GC.GetTotalAllocatedBytes());
        _gcPause.IncTo(GC.GetTotalPauseDuration().TotalSeconds);
    }
}
