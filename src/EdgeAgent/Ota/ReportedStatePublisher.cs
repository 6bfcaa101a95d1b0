using EdgeAgent.Pipelines.Events;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Ota;

/// <summary>
/// Publishes <c>&lt;base&gt;/models/reported</c> (retained, through the durable outbox) on every status change and
/// again after every reconnect, so a broker that lost its retained messages learns the state back.
/// </summary>
public sealed class ReportedStatePublisher : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    private readonly OtaStatusBoard _board;
    private readonly IOutboundQueue _queue;
    private readonly Func<int> _connectionGeneration;
    private readonly string _deviceId;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <param name="connectionGeneration">Changes on every (re)connect of the MQTT link; constant without one.</param>
    public ReportedStatePublisher(OtaStatusBoard board, IOutboundQueue queue, Func<int> connectionGeneration, string deviceId, TimeProvider time)
    {
        _board = board;
        _queue = queue;
        _connectionGeneration = connectionGeneration;
        _deviceId = deviceId;
        _time = time;
        board.Changed += Signal;
    }

    /// <summary>How many reported states were enqueued.</summary>
    public long Published { get; private set; }

    public override void Dispose()
    {
        _board.Changed -= Signal;
        _changed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var generation = int.MinValue;
        var pending = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = _connectionGeneration();
            if (pending || now != generation)
            {
                generation = now;
                _queue.Enqueue(MqttTopics.ModelsReported, ReportedStateWriter.Write(_deviceId, _board.Snapshot(), _time.GetUtcNow()), MessageOptions.RetainedState);
                Published++;
            }

            try
            {
                pending = await _changed.WaitAsync(Poll, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Signal()
    {
        try
        {
            if (_changed.CurrentCount == 0)
            {
                _changed.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the next publish carries this change too.
        }
    }
}
