namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>One segment file of the ring and the wall-clock span it holds (UTC).</summary>
public sealed record Segment(string Path, DateTime Start, DateTime End, long Bytes)
{
    public double Seconds => (End - Start).TotalSeconds;
}
