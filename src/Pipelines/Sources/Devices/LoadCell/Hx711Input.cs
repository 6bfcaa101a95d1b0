namespace EdgeAgent.Pipelines.Sources.Devices.LoadCell;

/// <summary>The HX711's input and gain, chosen by the number of clock pulses that end a read (datasheet table 3):
/// 25 = channel A, gain 128 (±20 mV at 5 V AVDD); 26 = channel B, gain 32 (±80 mV); 27 = channel A, gain 64 (±40 mV).</summary>
public enum Hx711Input
{
    ChannelA128,
    ChannelA64,
    ChannelB32,
}
