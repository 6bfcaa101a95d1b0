using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources.Devices.Gpio;

public enum GpioBias
{
    None,
    PullUp,
    PullDown,
}

public enum GpioEdge
{
    Rising,
    Falling,
    Both,
}

/// <summary>type gpio: input lines of a GPIO chip through libgpiod (/dev/gpiochipN). Each channel's field is
/// level:N (0/1 each poll), count:N (debounced edges since start) or frequency:N (debounced edges per second over
/// the last poll), N being the line offset on the chip (the BCM number on a Raspberry Pi).</summary>
public sealed class GpioSourceOptions
{
    [Description("The GPIO chip: /dev/gpiochipN (Raspberry Pi 5: the header is on gpiochip4 with older kernels, gpiochip0 with newer).")]
    [Range(0, 63)]
    public int Chip { get; set; }

    [Description("Input bias: none (an external resistor), pullUp (a contact to ground), pullDown.")]
    public GpioBias Bias { get; set; } = GpioBias.PullUp;

    [Description("count and frequency channels: which edges count.")]
    public GpioEdge Edge { get; set; } = GpioEdge.Falling;

    [Description("An edge less than this long after the last counted one is contact bounce and is ignored (0: count every edge).")]
    [Range(0, 10_000)]
    public double DebounceMilliseconds { get; set; } = 5;
}
