using System.Device.Gpio;
using System.Diagnostics;

namespace EdgeAgent.Pipelines.Sources.Devices.LoadCell;

/// <summary>
/// Reads an HX711 load-cell ADC by bit-banging its two-wire interface through a <see cref="GpioController"/>
/// (datasheet "Serial Interface"): DOUT low means a conversion is ready; each PD_SCK pulse shifts out one bit, MSB
/// first, 24 bits of two's complement; 1-3 more pulses choose the input and gain of the next conversion, and the 25th
/// pulls DOUT back high. PD_SCK held high for more than 60 µs powers the chip down; back low, it resets to channel A
/// gain 128.
/// <para>
/// Why not the binding's Hx711: it waits for DOUT without a timeout (an unplugged or unpowered chip hangs the source's
/// thread forever), allocates per read (arrays, lists, LINQ), and cannot tell a read torn by a power-down from a
/// good one. From user space every pin change is a libgpiod ioctl, and the thread can be preempted between the
/// rising and the falling edge for longer than 60 µs (scheduler, interrupts): the chip then powers down mid-read,
/// the remaining bits are garbage, and the next conversion is at channel A gain 128 whatever was configured. Nothing
/// in user space prevents this; this reader detects it. It times every clock-high phase (Stopwatch around the two
/// writes, an upper bound of the real phase) and discards a read where one exceeded the datasheet's 50 µs maximum,
/// or where DOUT was not back high after the last pulse (pulses lost); after such a read, or after opening, it
/// discards the conversions of the settling time (4, datasheet "output settling time") before trusting one again.
/// Each discarded read is counted by the caller; up to <see cref="Attempts"/> reads are tried per call.
/// </para>
/// </summary>
internal sealed class Hx711Reader : IDisposable
{
    public const int Attempts = 3;
    public const double MaxClockHighMicroseconds = 50;
    public const int SettlingConversions = 4;
    public const int Saturated = 0x7fffff;

    private static readonly long s_maxHighTicks = (long)(MaxClockHighMicroseconds * Stopwatch.Frequency / 1_000_000);
    private readonly GpioController _gpio;
    private readonly int _data;
    private readonly int _clock;
    private readonly int _pulses;
    private readonly TimeSpan _readyTimeout;
    private int _discard;

    public Hx711Reader(GpioController gpio, int dataPin, int clockPin, Hx711Input input, TimeSpan readyTimeout)
    {
        _gpio = gpio;
        _data = dataPin;
        _clock = clockPin;
        _readyTimeout = readyTimeout;
        _pulses = input switch
        {
            Hx711Input.ChannelA128 => 25,
            Hx711Input.ChannelB32 => 26,
            _ => 27,
        };
    }

    /// <summary>The longest clock-high phase of the last read, in microseconds.</summary>
    public double LastClockHighMicroseconds { get; private set; }

    /// <summary>Sets the pins up and power-cycles the chip (clock high for 1 ms, then low), so it starts from its
    /// reset state; the conversions of the settling time are then discarded.</summary>
    public void Open()
    {
        _gpio.OpenPin(_clock, PinMode.Output);
        _gpio.OpenPin(_data, PinMode.Input);
        _gpio.Write(_clock, PinValue.High);
        Thread.Sleep(1);
        _gpio.Write(_clock, PinValue.Low);
        _discard = SettlingConversions;
    }

    /// <summary>One conversion in counts. False with <paramref name="problem"/> set when a read had to be discarded
    /// (call again for another attempt); a chip that never signals ready within the timeout throws
    /// <see cref="IOException"/>.</summary>
    public bool TryRead(out int counts, out Hx711Problem problem)
    {
        counts = 0;
        while (true)
        {
            WaitReady();
            var raw = Shift(out var maxHighTicks, out var doutHighAfter);
            LastClockHighMicroseconds = maxHighTicks * 1_000_000.0 / Stopwatch.Frequency;
            if (maxHighTicks > s_maxHighTicks || !doutHighAfter)
            {
                // The chip may have powered down and reset: its next conversions are at channel A gain 128 and unsettled.
                _discard = SettlingConversions;
                problem = maxHighTicks > s_maxHighTicks ? Hx711Problem.ClockHighTooLong : Hx711Problem.PulsesLost;
                return false;
            }

            if (_discard > 0)
            {
                _discard--;
                continue;
            }

            // Two's complement: sign-extend bit 23.
            counts = (raw << 8) >> 8;
            problem = counts == Saturated || counts == -Saturated - 1 ? Hx711Problem.Saturated : Hx711Problem.None;
            return problem == Hx711Problem.None;
        }
    }

    public void Dispose()
    {
        // Leave the clock low: a chip left with PD_SCK high stays powered down.
        try
        {
            _gpio.Write(_clock, PinValue.Low);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // The controller or its chip is already gone.
        }
    }

    private void WaitReady()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_readyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (_gpio.Read(_data) == PinValue.High)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new IOException($"HX711 DOUT (line {_data}) stayed high for {_readyTimeout.TotalMilliseconds:0} ms: the chip is not powered, not wired to this line, or held in power-down");
            }

            Thread.Sleep(1);
        }
    }

    private int Shift(out long maxHighTicks, out bool doutHighAfter)
    {
        var raw = 0;
        maxHighTicks = 0;
        for (var pulse = 0; pulse < _pulses; pulse++)
        {
            var rise = Stopwatch.GetTimestamp();
            _gpio.Write(_clock, PinValue.High);
            _gpio.Write(_clock, PinValue.Low);
            maxHighTicks = Math.Max(maxHighTicks, Stopwatch.GetTimestamp() - rise);
            if (pulse < 24)
            {
                // DOUT changes on the rising edge and holds until the next one: read it after the falling edge.
                raw = (raw << 1) | (_gpio.Read(_data) == PinValue.High ? 1 : 0);
            }
        }

        doutHighAfter = _gpio.Read(_data) == PinValue.High;
        return raw;
    }
}
