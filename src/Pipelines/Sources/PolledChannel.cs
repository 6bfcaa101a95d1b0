namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// One channel of a polled device (a sysfs attribute, an I2C register). <see cref="Open"/> acquires what it needs;
/// <see cref="Read"/> throws <see cref="IOException"/> when the device has gone (the source then closes everything
/// and reopens with backoff) and returns false for a bad reading (already counted).
/// </summary>
public abstract class PolledChannel : IDisposable
{
    /// <summary>What to name in logs when this channel's device is missing.</summary>
    public abstract string Device { get; }

    public abstract void Open();

    public abstract bool Read(SourceContext context, out double value);

    public abstract void Close();

    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }
}
