namespace EdgeAgent.Pipelines.Windowing;

/// <summary>What the windowing stage saw and rejected. Written by the pipeline loop only.</summary>
public sealed class WindowCounters
{
    public long Samples { get; internal set; }

    public long Frames { get; internal set; }

    public long Windows { get; internal set; }

    /// <summary>Silences longer than maxGapSeconds; each ended the window in progress.</summary>
    public long Gaps { get; internal set; }

    /// <summary>Frames dropped because a channel had no value within the tolerance (ends the window too).</summary>
    public long StaleChannels { get; internal set; }

    public long OutOfRange { get; internal set; }

    public long NonFinite { get; internal set; }

    /// <summary>Samples older than the frame already emitted.</summary>
    public long Late { get; internal set; }
}
