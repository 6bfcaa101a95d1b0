namespace EdgeAgent.Pipelines.Camera;

/// <summary>Exponential backoff with "equal jitter": half the delay is fixed, half random, so cameras that fail together spread out.</summary>
public static class RestartBackoff
{
    public static TimeSpan Delay(int failuresInRow, double minSeconds, double maxSeconds, Random random)
    {
        var exponent = Math.Min(Math.Max(failuresInRow - 1, 0), 30);
        var ceiling = Math.Min(maxSeconds, minSeconds * Math.Pow(2, exponent));
        return TimeSpan.FromSeconds((ceiling / 2) + (random.NextDouble() * ceiling / 2));
    }
}
