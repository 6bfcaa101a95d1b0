namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Reads the wanted quantities of an opened chip into <paramref name="values"/> (catalog order); leaves
/// NaN where the chip delivered nothing this time (a skipped measurement, a conversion not ready).</summary>
internal delegate void QuantityReader(ReadOnlySpan<bool> wanted, Span<double> values);

/// <summary>A <see cref="QuantityReader"/> that also counts what it discarded on the source's context (a torn
/// bit-banged read that it retried).</summary>
internal delegate void CountingQuantityReader(SourceContext context, ReadOnlySpan<bool> wanted, Span<double> values);

/// <summary>
/// An opened chip: the Iot.Device.Bindings object (disposed with this) and how to read its quantities. Reads throw
/// <see cref="IOException"/> when the bus transfer fails (a NACK, the adapter gone).
/// </summary>
internal sealed class DeviceDriver : IDisposable
{
    private readonly IDisposable[] _owned;
    private readonly QuantityReader? _read;
    private readonly CountingQuantityReader? _counting;

    public DeviceDriver(QuantityReader read, params IDisposable[] owned)
    {
        _read = read;
        _owned = owned;
    }

    public DeviceDriver(CountingQuantityReader read, params IDisposable[] owned)
    {
        _counting = read;
        _owned = owned;
    }

    public void Read(SourceContext context, ReadOnlySpan<bool> wanted, Span<double> values)
    {
        if (_counting is not null)
        {
            _counting(context, wanted, values);
        }
        else
        {
            _read!(wanted, values);
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
