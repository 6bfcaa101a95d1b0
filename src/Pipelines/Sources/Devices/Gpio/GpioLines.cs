using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeAgent.Pipelines.Sources.Devices.Gpio;

/// <summary>
/// The lines a gpio source reads, on one controller: opened as inputs with the configured bias; lines that count get
/// an edge callback (libgpiod's event thread) that debounces by time since the last counted edge and counts with an
/// interlocked increment, the least work possible on that thread. Closing releases every line and the chip.
/// </summary>
internal sealed class GpioLines
{
    private readonly GpioSourceOptions _options;
    private readonly DeviceBuses _buses;
    private readonly int[] _lines;
    private readonly int[] _counted;
    private readonly long _debounceTicks;
    private readonly long[] _counts;
    private readonly long[] _lastEdge;
    private GpioController? _controller;
    private PinChangeEventHandler? _handler;

    public GpioLines(GpioSourceOptions options, IEnumerable<GpioInput> inputs, DeviceBuses buses)
    {
        _options = options;
        _buses = buses;
        var all = inputs.ToList();
        _lines = [.. all.Select(i => i.Line).Distinct()];
        _counted = [.. all.Where(i => i.Kind != GpioInputKind.Level).Select(i => i.Line).Distinct()];
        _counts = new long[_lines.Length];
        _lastEdge = new long[_lines.Length];
        _debounceTicks = (long)(options.DebounceMilliseconds * Stopwatch.Frequency / 1000);
        Device = $"/dev/gpiochip{options.Chip}";
    }

    public string Device { get; }

    public void Open()
    {
        if (_controller is not null)
        {
            return;
        }

        var controller = _buses.OpenGpio(_options.Chip);
        try
        {
            var mode = _options.Bias switch
            {
                GpioBias.PullUp => PinMode.InputPullUp,
                GpioBias.PullDown => PinMode.InputPullDown,
                _ => PinMode.Input,
            };
            foreach (var line in _lines)
            {
                controller.OpenPin(line, mode);
            }

            _handler = OnEdge;
            var edges = _options.Edge switch
            {
                GpioEdge.Rising => PinEventTypes.Rising,
                GpioEdge.Falling => PinEventTypes.Falling,
                _ => PinEventTypes.Rising | PinEventTypes.Falling,
            };
            foreach (var line in _counted)
            {
                controller.RegisterCallbackForPinValueChangedEvent(line, edges, _handler);
            }
        }
        catch (Exception e) when (e is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            controller.Dispose();
            throw new IOException($"{Device}: could not set up the input lines ({e.GetType().Name}: {e.Message})", e);
        }
        catch
        {
            controller.Dispose();
            throw;
        }

        Array.Fill(_lastEdge, long.MinValue / 2);
        _controller = controller;
    }

    public void Close()
    {
        _controller?.Dispose();
        _controller = null;
    }

    public double Level(int line)
    {
        var controller = _controller ?? throw new IOException($"{Device} is not open");
        try
        {
            return controller.Read(line) == PinValue.High ? 1 : 0;
        }
        catch (Exception e) when (e is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            throw new IOException($"{Device}: reading line {line} failed ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>Debounced edges counted on <paramref name="line"/> since the source started (kept across reopen).</summary>
    public long Count(int line) => Interlocked.Read(ref _counts[Array.IndexOf(_lines, line)]);

    private void OnEdge(object sender, PinValueChangedEventArgs e)
    {
        var index = Array.IndexOf(_lines, e.PinNumber);
        if (index < 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (now - _lastEdge[index] < _debounceTicks)
        {
            return;
        }

        _lastEdge[index] = now;
        Interlocked.Increment(ref _counts[index]);
    }
}
