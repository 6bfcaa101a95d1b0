namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Reads the wanted quantities of an opened chip into <paramref name="values"/> (catalog order); leaves
/// NaN where the chip delivered nothing this time (a skipped measurement, a conversion not ready).</summary>
internal delegate void QuantityReader(ReadOnlySpan<bool> wanted, Span<double> values);

/// <summary>
/// An opened chip: the Iot.Device.Bindings object (disposed with this) and how to read its quantities. Reads throw
/// <see cref="IOException"/> when the bus transfer fails (a NACK, the adapter gone).
/// </summary>
internal sealed class DeviceDriver : IDisposable
{
    private readonly IDisposable[] _owned;
    private readonly QuantityReader _read;

    public DeviceDriver(QuantityReader read, params IDisposable[] owned)
    {
        _read = read;
        _owned = owned;
    }

    public void Read(ReadOnlySpan<bool> wanted, Span<double> values) => _read(wanted, values);

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
