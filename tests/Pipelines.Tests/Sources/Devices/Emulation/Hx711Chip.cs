using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>
/// An HX711 on two GPIO lines, driven through System.Device.Gpio's controller as the kernel's chip would be, and
/// behaving as its datasheet's serial interface: DOUT high while no conversion is ready; a conversion becomes ready
/// one conversion period after the last read ended (PD_SCK low); each PD_SCK rising edge shifts out the next bit,
/// MSB first, of the 24-bit two's complement result; pulses 25-27 choose the input and gain of the next conversion
/// (25: A/128, 26: B/32, 27: A/64) and the 25th pulls DOUT high. PD_SCK high for more than 60 µs powers the chip down
/// and, back low, resets it to A/128 with no conversion ready; pulses while nothing is ready shift nothing out.
/// <see cref="StallOnPulse"/> holds the clock high inside the driver's write (as a preempted thread would).
/// </summary>
internal sealed class Hx711Chip : GpioDriver
{
    private static readonly long s_powerDownTicks = 60 * Stopwatch.Frequency / 1_000_000;
    private readonly int _data;
    private readonly int _clock;
    private readonly long _periodTicks;
    private readonly Dictionary<int, PinMode> _modes = [];
    private bool _clockHigh;
    private long _riseTicks;
    private long _readyAt;
    private int _pulse;
    private int _gainPulses = 25;
    private int _latched;
    private int _latchedGain;
    private bool _latchedValid;

    public Hx711Chip(int dataPin, int clockPin, TimeSpan conversionPeriod)
    {
        _data = dataPin;
        _clock = clockPin;
        _periodTicks = (long)(conversionPeriod.TotalSeconds * Stopwatch.Frequency);
        _readyAt = Stopwatch.GetTimestamp() + _periodTicks;
    }

    /// <summary>The 24-bit code each input converts to, keyed by the pulses that select it (25, 26, 27).</summary>
    public Dictionary<int, int> Codes { get; } = new() { [25] = 0, [26] = 0, [27] = 0 };

    /// <summary>Unpowered or unwired: DOUT reads high forever.</summary>
    public bool Absent { get; set; }

    /// <summary>Holds PD_SCK high this long on the given pulse (1-based) of the next read.</summary>
    public (int Pulse, TimeSpan Hold)? StallOnPulse { get; set; }

    public int PowerDowns { get; private set; }

    public int Conversions { get; private set; }

    /// <summary>The gains (25/26/27 pulses) of the conversions read out so far, in order.</summary>
    public List<int> ReadGains { get; } = [];

    public IReadOnlyDictionary<int, PinMode> Modes => _modes;

    protected override int PinCount => 54;

    protected override void OpenPin(int pinNumber)
    {
    }

    protected override void ClosePin(int pinNumber) => _modes.Remove(pinNumber);

    protected override void SetPinMode(int pinNumber, PinMode mode) => _modes[pinNumber] = mode;

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        if (pinNumber != _data || Absent)
        {
            return PinValue.High;
        }

        if (!_clockHigh && Stopwatch.GetTimestamp() >= _readyAt && (_pulse >= 25 || (_pulse == 0 && !_latchedValid)))
        {
            if (_pulse >= 25)
            {
                // The read ended a conversion period ago: the pulses it gave chose the gain of the next conversion.
                ReadGains.Add(_latchedGain);
                _gainPulses = Math.Min(_pulse, 27);
                _pulse = 0;
            }

            _latched = Codes[_gainPulses] & 0xffffff;
            _latchedGain = _gainPulses;
            _latchedValid = true;
            Conversions++;
        }

        if (!_latchedValid)
        {
            return PinValue.High;
        }

        // Before the first pulse DOUT low is "ready"; pulses 1-24 shift out bits 23..0; from the 25th it is high.
        return _pulse == 0 ? PinValue.Low : _pulse <= 24 ? ((_latched >> (24 - _pulse)) & 1) == 1 : PinValue.High;
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        if (pinNumber != _clock)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (value == PinValue.High && !_clockHigh)
        {
            _clockHigh = true;
            _riseTicks = now;
            if (_latchedValid)
            {
                _pulse++;
            }

            if (StallOnPulse is { } stall && _pulse == stall.Pulse)
            {
                StallOnPulse = null;
                var until = now + (long)(stall.Hold.TotalSeconds * Stopwatch.Frequency);
                while (Stopwatch.GetTimestamp() < until)
                {
                }
            }
        }
        else if (value == PinValue.Low && _clockHigh)
        {
            _clockHigh = false;
            if (now - _riseTicks > s_powerDownTicks)
            {
                // Powered down while high; back low, the chip resets: A/128, nothing ready until a new conversion.
                PowerDowns++;
                _pulse = 0;
                _latchedValid = false;
                _gainPulses = 25;
                _readyAt = now + _periodTicks;
            }
            else if (_pulse >= 25)
            {
                _readyAt = now + _periodTicks;
            }
        }
    }

    protected override void Toggle(int pinNumber) => Write(pinNumber, _clockHigh ? PinValue.Low : PinValue.High);

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the HX711 reader polls DOUT");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("the HX711 reader polls DOUT");

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
    }

    public override GpioChipInfo GetChipInfo() => new(0, "emulated-hx711", "test", PinCount);
}
