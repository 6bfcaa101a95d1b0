using System.Diagnostics;
using System.Threading.Channels;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>Signals with injected anomalies; drives the bundled demo. Deterministic for a given seed.</summary>
public sealed class SimulatedSource : SampleSource
{
    private readonly SimulatedSourceOptions _options;
    private readonly long? _startTicks;

    /// <summary>Stamps samples from the moment the source starts running (real time) or from construction.</summary>
    public SimulatedSource(SourceContext context, SimulatedSourceOptions options)
        : this(context, options, null)
    {
    }

    internal SimulatedSource(SourceContext context, SimulatedSourceOptions options, long? startTicks)
        : base(context)
    {
        _options = options;
        _startTicks = startTicks;
        Generator = new SignalGenerator(options, context.Channels.Count);
    }

    public SignalGenerator Generator { get; }

    public override async Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        var values = new double[Generator.Channels];
        var periodTicks = TimeSpan.TicksPerSecond / _options.SampleRateHz;

        // A PeriodicTimer (unlike Task.Delay) allocates nothing per tick; each tick emits every sample that is due.
        using var timer = _options.RealTime ? new PeriodicTimer(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (long)periodTicks))) : null;
        var started = Stopwatch.GetTimestamp();

        // A real-time sample is stamped when it is due, so its time is the wall-clock time it entered the pipeline
        // (model loading between construction and start must not age the first samples).
        var origin = _startTicks ?? DateTime.UtcNow.Ticks;
        long n = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (timer is not null && n * periodTicks > Stopwatch.GetElapsedTime(started).Ticks)
            {
                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            Generator.Next(values);
            var timestamp = origin + (long)(n * periodTicks);
            for (var c = 0; c < values.Length; c++)
            {
                if (Context.TryAccept(c, timestamp, values[c], out var sample))
                {
                    await writer.WriteAsync(sample, cancellationToken).ConfigureAwait(false);
                }
            }

            n++;
        }
    }
}
