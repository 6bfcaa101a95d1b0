namespace EdgeAgent.Pipelines.Sources;

public enum SourceType
{
    Simulated,
    Replay,
    Mqtt,
    Iio,
    Hwmon,
    Thermal,
    W1,
    Serial,
    I2c,
    Device,
    Gpio,
}
