using System.Threading.Channels;
using EdgeAgent.Pipelines.Health;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>
/// Runs one sensor pipeline: its sources write into one bounded channel (back-pressure, no unbounded growth),
/// one loop feeds the samples through <see cref="SensorPipeline"/>. Ends when every source has ended (a replay
/// without loop) or on cancellation; a source failing for good fails the run, with its exception.
/// While the loop waits for samples it is idle, not wedged, so the heartbeat keeps beating then too.
/// </summary>
public sealed class SensorPipelineRunner : IHealthSource
{
    private readonly IReadOnlyList<SampleSource> _sources;
    private readonly SensorPipeline _pipeline;
    private readonly Heartbeat? _heartbeat;
    private readonly int _capacity;
    private volatile bool _waiting;

    public SensorPipelineRunner(string name, IReadOnlyList<SampleSource> sources, SensorPipeline pipeline, Heartbeat? heartbeat = null, int capacity = 4096)
    {
        Name = name;
        _sources = sources;
        _pipeline = pipeline;
        _heartbeat = heartbeat;
        _capacity = capacity;
    }

    private const int RejectedMemory = 30;

    public string Name { get; }

    public SensorPipeline Pipeline => _pipeline;

    public IReadOnlyList<SampleSource> Sources => _sources;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<Sample>(new BoundedChannelOptions(_capacity)
        {
            SingleReader = true,
            SingleWriter = _sources.Count == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producers = Task.WhenAll(_sources.Select(s => Task.Run(() => s.RunAsync(channel.Writer, stop.Token), stop.Token)));
        var completion = producers.ContinueWith(t => channel.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        var idleBeats = _heartbeat is null ? Task.CompletedTask : BeatWhileIdleAsync(stop.Token);
        try
        {
            var reader = channel.Reader;
            while (true)
            {
                _waiting = true;
                var more = await reader.WaitToReadAsync(stop.Token).ConfigureAwait(false);
                _waiting = false;
                if (!more)
                {
                    break;
                }

                while (reader.TryRead(out var sample))
                {
                    _pipeline.OnSample(sample);
                }

                _heartbeat?.Beat();
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await completion.ConfigureAwait(false);
            await idleBeats.ConfigureAwait(false);
        }

        if (producers.IsFaulted && !cancellationToken.IsCancellationRequested)
        {
            await producers.ConfigureAwait(false);
        }

        // A stop can reach the loop as the end of the channel (the sources, cancelled, complete it first) or as the
        // cancelled wait: either way the caller sees one outcome, a cancelled run.
        cancellationToken.ThrowIfCancellationRequested();
    }

    public HealthReport Check(long nowTicks)
    {
        foreach (var source in _sources)
        {
            if (source.Counters.DeviceLost > source.Counters.DeviceBack)
            {
                return HealthReport.Degraded($"{source.Name}: device unavailable, retrying");
            }

            // Input keeps coming but none of it is usable (a sensor's clock far ahead, a changed payload): the
            // pipeline is silent although nothing failed, which must not look healthy.
            var memory = RejectedMemory * System.Diagnostics.Stopwatch.Frequency;
            var counters = source.Counters;
            if (counters.LastBadStamp != 0 && nowTicks - counters.LastBadStamp < memory && nowTicks - counters.LastSampleStamp >= memory)
            {
                return HealthReport.Degraded(
                    $"{source.Name}: every input rejected for {RejectedMemory} s or more, the last as {EdgeAgent.Pipelines.Configuration.ConfigPath.CamelCase(counters.LastBadKind.ToString() ?? string.Empty)} ({counters.TotalBad} rejected in all)");
            }
        }

        if (_pipeline.Slot.Failing(nowTicks) is { } failing)
        {
            return HealthReport.Degraded(failing);
        }

        var bad = _sources.Sum(s => s.Counters.TotalBad);
        return HealthReport.Healthy($"{_pipeline.Counters.Windows} windows, {bad} rejected inputs, alert {(_pipeline.Alert.Active ? "active" : "clear")}");
    }

    private async Task BeatWhileIdleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_waiting)
                {
                    _heartbeat!.Beat();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
