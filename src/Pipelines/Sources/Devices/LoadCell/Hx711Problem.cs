namespace EdgeAgent.Pipelines.Sources.Devices.LoadCell;

/// <summary>Why an HX711 read was not used.</summary>
internal enum Hx711Problem
{
    None,

    /// <summary>A clock-high phase exceeded 50 µs: the chip may have powered down mid-read.</summary>
    ClockHighTooLong,

    /// <summary>DOUT was still low after the last pulse: pulses were not seen by the chip.</summary>
    PulsesLost,

    /// <summary>The input is outside the ADC's range (0x7FFFFF or 0x800000).</summary>
    Saturated,
}
