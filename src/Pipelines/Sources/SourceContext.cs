using System.Runtime.CompilerServices;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// What every source shares: its name and channels, counters, the validity gate (NaN/Inf, timestamps that go
/// backwards or repeat per channel) and rate-limited logging of bad input.
/// </summary>
public sealed class SourceContext
{
    private readonly long[] _lastTimestamp;
    private readonly LogRateLimiter _rejections = new(burst: 1, TimeSpan.FromSeconds(10));

    private readonly TimeProvider _time;
    private readonly long _futureToleranceTicks;

    /// <param name="futureTolerance">How far ahead of the clock a record's own timestamp may be (default 1 h).</param>
    /// <param name="time">The clock timestamps are checked against; tests pass their own.</param>
    public SourceContext(string name, int channelBase, IReadOnlyList<SourceChannelOptions> channels, ILogger logger,
        TimeSpan? futureTolerance = null, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _futureToleranceTicks = (futureTolerance ?? TimeSpan.FromHours(1)).Ticks;
        Name = name;
        ChannelBase = channelBase;
        Channels = channels;
        Logger = logger;
        _lastTimestamp = new long[channels.Count];
        Array.Fill(_lastTimestamp, long.MinValue);
    }

    public string Name { get; }

    /// <summary>Pipeline-wide index of this source's first channel.</summary>
    public int ChannelBase { get; }

    public IReadOnlyList<SourceChannelOptions> Channels { get; }

    public ILogger Logger { get; }

    public SourceCounters Counters { get; } = new();

    /// <summary>Checks one value; returns the pipeline-wide sample, or false after counting why it was rejected.</summary>
    public bool TryAccept(int channel, long timestampTicks, double value, out Sample sample)
    {
        sample = default;
        if (!double.IsFinite(value))
        {
            Reject(BadInput.NonFinite, $"'{Channels[channel].Name}' is NaN or infinite");
            return false;
        }

        var last = _lastTimestamp[channel];
        // Windowing needs time order per channel, so a row out of order or repeating a timestamp is dropped, never
        // reordered; the log names the channel and both times (formatted only when it is logged).
        if (timestampTicks < last)
        {
            Reject(BadInput.TimestampBackwards, $"'{Channels[channel].Name}' at {new DateTime(timestampTicks):yyyy-MM-dd HH:mm:ss.FFFFFFF} is before the previous sample ({new DateTime(last):yyyy-MM-dd HH:mm:ss.FFFFFFF}); dropped");
            return false;
        }

        if (timestampTicks == last)
        {
            Reject(BadInput.DuplicateTimestamp, $"'{Channels[channel].Name}' has a second sample at {new DateTime(timestampTicks):yyyy-MM-dd HH:mm:ss.FFFFFFF}; the first is kept, this one dropped");
            return false;
        }

        _lastTimestamp[channel] = timestampTicks;
        Counters.AddSample();
        sample = new Sample(timestampTicks, ChannelBase + channel, value);
        return true;
    }

    /// <summary>
    /// For sources whose records carry their own time: a timestamp beyond the clock plus the tolerance is bad input,
    /// rejected and counted, not adopted as the channel's "now" (after which every true sample would be "backwards").
    /// </summary>
    public bool IsPlausible(long timestampTicks)
    {
        var limit = _time.GetUtcNow().UtcTicks + _futureToleranceTicks;
        if (timestampTicks <= limit)
        {
            return true;
        }

        Reject(BadInput.TimestampInFuture, $"timestamp {new DateTime(Math.Clamp(timestampTicks, 0, DateTime.MaxValue.Ticks), DateTimeKind.Utc):yyyy-MM-ddTHH:mm:ssZ} is more than {TimeSpan.FromTicks(_futureToleranceTicks).TotalSeconds:0} s ahead of this device's clock");
        return false;
    }

    /// <summary>Counts a rejected input and logs it unless another was logged in the last 10 s.</summary>
    public void Reject(BadInput kind, string detail = "")
    {
        var total = Counters.AddBad(kind);
        if (_rejections.TryAcquire())
        {
            SourceLog.BadInput(Logger, Name, kind, detail.Length > 0 ? detail : "see counters", total);
        }
    }

    /// <summary>The same, formatting the interpolated detail only when it is going to be logged.</summary>
    public void Reject(BadInput kind, [InterpolatedStringHandlerArgument("", "kind")] ref RejectDetail detail) =>
        Reject(kind, detail.ToStringAndClear());

    /// <summary>Whether a rejection now would be logged (none was in the last 10 s).</summary>
    public bool WillLog() => _rejections.WouldAcquire();
}
