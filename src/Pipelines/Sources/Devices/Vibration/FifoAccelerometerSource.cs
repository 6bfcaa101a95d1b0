using System.Device.Spi;
using System.Threading.Channels;

namespace EdgeAgent.Pipelines.Sources.Devices.Vibration;

/// <summary>
/// The vibration path's source: an ADXL345 streaming through its FIFO (a <c>device</c> source with driver adxl345
/// and <c>sampleRateHertz</c> set). Every half FIFO (16 samples' time) it reads the entries waiting, decodes them with
/// <see cref="FifoBurstDecoder"/> and hands them to the pipeline stamped by the sample clock (the output data rate),
/// not by when they were read. The sample clock is re-anchored to arrival time when it drifts more than
/// <see cref="DriftTolerance"/> from it (the chip's rate is only nominal) and after an overrun, never backwards.
/// A FIFO that overran (the reader was late by more than 33 samples' time) lost samples that nothing can recover: the
/// number is estimated from the time since the last burst and counted as <see cref="BadInput.QueueFull"/>, one per
/// channel sample, as the pipeline's own full queue is. The chip lost or not answering is handled as in
/// <see cref="PolledSource"/>: logged and counted once, closed, retried with backoff while the pipeline runs on.
/// Steady state allocates nothing: the buffers are sized once for a full FIFO.
/// </summary>
public sealed class FifoAccelerometerSource : SampleSource
{
    /// <summary>How far the sample clock may drift from arrival time before it is re-anchored.</summary>
    public static readonly TimeSpan DriftTolerance = TimeSpan.FromMilliseconds(50);

    private readonly Func<SpiDevice> _open;
    private readonly int _sampleRateHz;
    private readonly TimeSpan _maxRetry;
    private readonly TimeProvider _time;
    private readonly ArrivalClock _clock;
    private readonly int[] _channelOfAxis;
    private readonly int _wantedAxes;
    private readonly byte[] _fifo = new byte[Adxl345Fifo.Capacity * FifoBurstDecoder.FrameBytes];
    private readonly Sample[] _samples = new Sample[Adxl345Fifo.Capacity * 3];
    private readonly Sample[] _accepted = new Sample[Adxl345Fifo.Capacity * 3];
    private readonly FifoBurstDecoder _decoder;
    private readonly long _ticksPerSample;
    private Adxl345Fifo? _chip;
    private long _lastBurstTicks;
    private long _lastDataTicks;
    private long _droppedFrames;

    internal FifoAccelerometerSource(SourceContext context, Func<SpiDevice> open, string device, int sampleRateHz, IReadOnlyList<int> axisOfChannel,
        TimeSpan maxRetry, TimeProvider? time = null)
        : base(context)
    {
        _open = open;
        Device = device;
        _sampleRateHz = sampleRateHz;
        _maxRetry = maxRetry;
        _time = time ?? TimeProvider.System;
        _clock = new ArrivalClock(_time);
        _channelOfAxis = [-1, -1, -1];
        for (var c = 0; c < axisOfChannel.Count; c++)
        {
            _channelOfAxis[axisOfChannel[c]] = c;
        }

        _wantedAxes = axisOfChannel.Count;

        _decoder = new FifoBurstDecoder(0, sampleRateHz, 1 / Adxl345Fifo.CountsPerG, 0);
        _ticksPerSample = TimeSpan.TicksPerSecond / sampleRateHz;
        Interval = TimeSpan.FromSeconds((double)Adxl345Fifo.Watermark / sampleRateHz);
    }

    public string Device { get; }

    /// <summary>Time between bursts: half the FIFO's depth at the output data rate (5 ms at 3,200 Hz).</summary>
    public TimeSpan Interval { get; }

    public bool Connected => _chip is not null;

    /// <summary>Samples per axis lost to FIFO overruns (estimated; see the class remarks).</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    public override async Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        var link = new DeviceLink(Context, _maxRetry);
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_chip is null)
                {
                    var problem = TryOpen();
                    if (problem is not null)
                    {
                        await Task.Delay(link.OpenFailed(Device, problem), _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    link.Opened(Device);
                }

                int accepted;
                try
                {
                    accepted = Poll().Length;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Close();
                    link.ReadFailed(Device, e.Message);
                    continue;
                }

                for (var i = 0; i < accepted; i++)
                {
                    if (!writer.TryWrite(_accepted[i]))
                    {
                        await writer.WriteAsync(_accepted[i], cancellationToken).ConfigureAwait(false);
                    }
                }

                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Close();
        }
    }

    /// <summary>One burst, as the run loop does it between timer ticks: the FIFO's entries decoded, checked by the
    /// context (finite, forward in time) and returned for the configured channels. Internal for the benchmark.</summary>
    internal ReadOnlySpan<Sample> Poll()
    {
        var count = ReadBurst();
        var accepted = 0;
        for (var i = 0; i < count; i++)
        {
            var channel = _channelOfAxis[_samples[i].Channel];
            if (channel >= 0 && Context.TryAccept(channel, _samples[i].TimestampTicks, _samples[i].Value, out var sample))
            {
                _accepted[accepted++] = sample;
            }
        }

        return _accepted.AsSpan(0, accepted);
    }

    /// <summary>One burst: the FIFO's entries decoded into <see cref="_samples"/>; returns how many samples.</summary>
    private int ReadBurst()
    {
        var chip = _chip ?? throw new IOException($"{Device} is not open");
        var frames = chip.Burst(_fifo, out var overrun);
        var now = _clock.UtcTicks();
        if (frames == 0)
        {
            // A chip that was power-cycled comes back in standby with the FIFO bypassed: nothing ever arrives.
            if (now - _lastDataTicks > Math.Max(TimeSpan.TicksPerSecond, 10 * Interval.Ticks))
            {
                throw new IOException($"{Device}: no samples for {TimeSpan.FromTicks(now - _lastDataTicks).TotalSeconds:0.#} s at {_sampleRateHz} Hz (chip reset or not measuring)");
            }

            return 0;
        }

        // The newest frame was taken about now; the burst's first one (frames - 1) sample periods before.
        var firstTicks = now - ((frames - 1) * _ticksPerSample);
        if (overrun || frames >= Adxl345Fifo.Capacity)
        {
            // The chip does not count what it overwrote: estimate it from the time since the last burst, which read
            // the FIFO empty. A full FIFO without the flag may just have filled: only what the time says is lost.
            var dropped = (long)Math.Round((now - _lastBurstTicks) / (double)_ticksPerSample) - frames;
            dropped = overrun ? Math.Max(1, dropped) : Math.Max(0, dropped);
            if (dropped > 0)
            {
                Interlocked.Add(ref _droppedFrames, dropped);
                for (var i = 1; i < dropped * _wantedAxes; i++)
                {
                    Context.Counters.AddBad(BadInput.QueueFull);
                }

                Context.Reject(BadInput.QueueFull, $"{Device}: FIFO overrun, about {dropped} samples per axis lost (read late by {TimeSpan.FromTicks(now - _lastBurstTicks).TotalMilliseconds:0.#} ms; the FIFO holds {Adxl345Fifo.Capacity} samples = {1000.0 * Adxl345Fifo.Capacity / _sampleRateHz:0.#} ms)");
            }

            _decoder.Restart(Math.Max(firstTicks, _decoder.NextTicks));
        }
        else if (Math.Abs(_decoder.NextTicks - firstTicks) > DriftTolerance.Ticks)
        {
            // Behind (the chip is slower than nominal): jump to arrival time. Ahead: pull back by up to one sample
            // period per burst, never to or before the last timestamp given out.
            _decoder.Restart(Math.Max(firstTicks, _decoder.NextTicks - _ticksPerSample + 1));
        }

        _lastBurstTicks = now;
        _lastDataTicks = now;
        return _decoder.Decode(_fifo.AsSpan(0, frames * FifoBurstDecoder.FrameBytes), _samples);
    }

    /// <summary>Opens and configures the chip; the reason when it cannot. Internal for the benchmark.</summary>
    internal string? TryOpen()
    {
        SpiDevice? spi = null;
        try
        {
            spi = _open();
            _chip = new Adxl345Fifo(spi, _sampleRateHz);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            spi?.Dispose();
            return e.Message;
        }

        var now = _clock.UtcTicks();
        _decoder.Restart(Math.Max(now, _decoder.NextTicks));
        _lastBurstTicks = now;
        _lastDataTicks = now;
        return null;
    }

    private void Close()
    {
        _chip?.Dispose();
        _chip = null;
    }
}
