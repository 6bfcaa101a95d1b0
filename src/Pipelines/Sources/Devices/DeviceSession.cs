using System.Globalization;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>
/// One chip shared by the source's channels: opened once, read once per poll (by the first channel), each value then
/// handed out by its channel. Checks what the driver returns: a value outside the chip's physical range and a reading
/// that repeats bit for bit (a stuck bus returns the same bytes forever) are rejected, counted and logged at a limited
/// rate. Any failure of the driver while opening or reading becomes an <see cref="IOException"/>, which the polled
/// source turns into "device unavailable, retrying": the drivers signal a chip that does not answer with several
/// exception types, and each of them means the same thing here.
/// </summary>
internal sealed class DeviceSession
{
    private readonly DeviceDriverInfo _info;
    private readonly DeviceSourceOptions _options;
    private readonly DeviceBuses _buses;
    private readonly int _address;
    private readonly bool[] _wanted;
    private readonly double[] _values;
    private readonly double[] _previous;
    private DeviceDriver? _driver;
    private int _repeats;

    public DeviceSession(DeviceDriverInfo info, DeviceSourceOptions options, int address, IEnumerable<int> wanted, DeviceBuses buses)
    {
        _info = info;
        _options = options;
        _address = address;
        _buses = buses;
        _wanted = new bool[info.Quantities.Length];
        foreach (var quantity in wanted)
        {
            _wanted[quantity] = true;
        }

        _values = new double[info.Quantities.Length];
        _previous = new double[info.Quantities.Length];
        Device = info.Bus switch
        {
            DeviceBusKind.I2c => string.Create(CultureInfo.InvariantCulture, $"{info.Name} on /dev/i2c-{options.Bus} @0x{address:x2}"),
            DeviceBusKind.Spi => string.Create(CultureInfo.InvariantCulture, $"{info.Name} on /dev/spidev{options.Bus}.{options.ChipSelect}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{info.Name} on /dev/gpiochip{options.GpioChip} (lines {options.DataPin}, {options.ClockPin})"),
        };
    }

    public string Device { get; }

    public void Open()
    {
        if (_driver is not null)
        {
            return;
        }

        try
        {
            _driver = _info.Open(new DeviceConnection(_options, _address, _buses));
        }
        catch (Exception e) when (e is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            throw new IOException($"{Device}: the chip did not set up ({e.GetType().Name}: {e.Message})", e);
        }

        _repeats = 0;
        Array.Fill(_previous, double.NaN);
    }

    public void Close()
    {
        _driver?.Dispose();
        _driver = null;
    }

    /// <summary>Reads the chip once. Afterwards <see cref="Value"/> is NaN for anything not delivered or rejected.</summary>
    public void Refresh(SourceContext context)
    {
        var driver = _driver ?? throw new IOException($"{Device} is not open");
        Array.Fill(_values, double.NaN);
        try
        {
            driver.Read(context, _wanted, _values);
        }
        catch (Exception e) when (e is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            throw new IOException($"{Device}: read failed ({e.GetType().Name}: {e.Message})", e);
        }

        var missing = -1;
        var same = true;
        for (var q = 0; q < _values.Length; q++)
        {
            if (!_wanted[q])
            {
                continue;
            }

            same &= _values[q].Equals(_previous[q]);
            _previous[q] = _values[q];
            var quantity = _info.Quantities[q];
            if (double.IsNaN(_values[q]))
            {
                missing = q;
            }
            else if (!(_values[q] >= quantity.Min && _values[q] <= quantity.Max))
            {
                context.Reject(BadInput.Implausible, $"{Device}: {quantity.Name} = {_values[q]} {quantity.Unit}, outside what the chip can report ({quantity.Min}..{quantity.Max})");
                _values[q] = double.NaN;
            }
        }

        if (missing >= 0)
        {
            context.Reject(BadInput.NoReading, $"{Device}: no {_info.Quantities[missing].Name} this time (measurement skipped or not ready)");
        }

        _repeats = same ? _repeats + 1 : 0;
        if (_options.StuckReadings > 0 && _repeats + 1 >= _options.StuckReadings)
        {
            context.Reject(BadInput.Stuck, $"{Device}: the same reading {_repeats + 1} times in a row (stuck chip or bus?)");
            Array.Fill(_values, double.NaN);
        }
    }

    public double Value(int quantity) => _values[quantity];
}
