namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>How a chip is attached: which of bus/address, bus/chipSelect or GPIO pins locate it.</summary>
public enum DeviceBusKind
{
    I2c,
    Spi,
    Gpio,
}
