using System.Threading.Channels;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Reads every channel at a fixed interval. When a device goes away, it logs once, counts, closes, and tries to
/// reopen with backoff (0.5 s doubling to maxRetrySeconds, with jitter) while the rest of the pipeline keeps
/// running; when it is back it logs that once too.
/// </summary>
public sealed class PolledSource : SampleSource
{
    private readonly PolledChannel[] _channels;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _maxRetry;
    private readonly TimeProvider _time;
    private readonly ArrivalClock _clock;

    public PolledSource(SourceContext context, IReadOnlyList<PolledChannel> channels, TimeSpan interval, TimeSpan maxRetry, TimeProvider? time = null)
        : base(context)
    {
        _channels = [.. channels];
        _interval = interval;
        _maxRetry = maxRetry;
        _time = time ?? TimeProvider.System;
        _clock = new ArrivalClock(_time);
    }

    public bool Connected { get; private set; }

    public override async Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        var link = new DeviceLink(Context, _maxRetry);
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!Connected)
                {
                    var problem = TryOpenAll();
                    if (problem is not null)
                    {
                        await Task.Delay(link.OpenFailed(problem.Value.Device, problem.Value.Reason), _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    link.Opened(_channels[0].Device);
                }

                var ticks = _clock.UtcTicks();
                for (var c = 0; c < _channels.Length; c++)
                {
                    bool ok;
                    double value;
                    try
                    {
                        ok = _channels[c].Read(Context, out value);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        CloseAll();
                        link.ReadFailed(_channels[c].Device, e.Message);
                        break;
                    }

                    if (ok && Context.TryAccept(c, ticks, value, out var sample) && !writer.TryWrite(sample))
                    {
                        await writer.WriteAsync(sample, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (Connected)
                {
                    await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            CloseAll();
        }
    }

    private (string Device, string Reason)? TryOpenAll()
    {
        foreach (var channel in _channels)
        {
            try
            {
                channel.Open();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                CloseAll();
                return (channel.Device, e.Message);
            }
        }

        Connected = true;
        return null;
    }

    private void CloseAll()
    {
        Connected = false;
        foreach (var channel in _channels)
        {
            channel.Close();
        }
    }
}
