using System.Device.Gpio;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>A GPIO chip whose input levels the test sets; level changes raise the callbacks the controller
/// registered, as libgpiod's event thread does.</summary>
internal sealed class EmulatedGpioDriver : GpioDriver
{
    private readonly Dictionary<int, PinValue> _levels = [];
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly List<(int Pin, PinEventTypes Types, PinChangeEventHandler Handler)> _callbacks = [];

    public bool Disposed { get; private set; }

    public IReadOnlyDictionary<int, PinMode> Modes => _modes;

    protected override int PinCount => 54;

    /// <summary>Drives an input to <paramref name="high"/>, raising the edge if it changed.</summary>
    public void Set(int pin, bool high)
    {
        var value = high ? PinValue.High : PinValue.Low;
        var before = _levels.GetValueOrDefault(pin, PinValue.High);
        _levels[pin] = value;
        if (before == value)
        {
            return;
        }

        var type = high ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (p, types, handler) in _callbacks.ToList())
        {
            if (p == pin && (types & type) != 0)
            {
                handler(this, new PinValueChangedEventArgs(type, pin));
            }
        }
    }

    protected override void OpenPin(int pinNumber) => _levels.TryAdd(pinNumber, PinValue.High);

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _levels.GetValueOrDefault(pinNumber, PinValue.High);

    protected override void Toggle(int pinNumber) => Set(pinNumber, Read(pinNumber) == PinValue.Low);

    protected override void Write(int pinNumber, PinValue value) => _levels[pinNumber] = value;

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the sources use callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        _callbacks.Add((pinNumber, eventTypes, callback));

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        _callbacks.RemoveAll(c => c.Pin == pinNumber && c.Handler == callback);

    public override GpioChipInfo GetChipInfo() => new(0, "emulated", "test", PinCount);

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
