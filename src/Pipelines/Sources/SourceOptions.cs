using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Sources.Devices.Gpio;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>One source of samples; <see cref="Type"/> selects which nested section applies.</summary>
public sealed class SourceOptions : IValidatedOptions
{
    [Description("simulated, replay, mqtt, iio, hwmon, thermal, w1, serial, i2c, device or gpio.")]
    public SourceType Type { get; set; } = SourceType.Simulated;

    [Description("Name in counters and logs. Default: the type and its position, e.g. replay0.")]
    public string Name { get; set; } = string.Empty;

    [Description("The channels this source produces. Default: one channel named 'value'.")]
    public List<SourceChannelOptions> Channels { get; set; } = [];

    [Description("Kernel interfaces and serial/i2c: how often to read. Replay, mqtt and simulated pace themselves.")]
    [Range(1, 3_600_000)]
    public int PollIntervalMilliseconds { get; set; } = 1000;

    [Description("Longest wait between attempts to reopen a device that disappeared (the wait doubles from 0.5 s up to this).")]
    [Range(1, 3600)]
    public int MaxRetrySeconds { get; set; } = 30;

    [Description("Sources whose records carry their own time (mqtt timestampField, replay, serial): how far ahead of this device's clock a timestamp may be. A later one (a sensor's bad clock, 9999-12-31) is rejected and counted as timestampInFuture, never taken as the new 'now'.")]
    [Range(0, 31_536_000)]
    public int TimestampToleranceSeconds { get; set; } = 3600;

    [Description("type simulated: signals and injected anomalies.")]
    public SimulatedSourceOptions Simulated { get; set; } = new();

    [Description("type replay: a recorded CSV or JSON Lines file.")]
    public ReplaySourceOptions Replay { get; set; } = new();

    [Description("type mqtt: a topic whose JSON payloads carry the values.")]
    public MqttSourceOptions Mqtt { get; set; } = new();

    [Description("types iio, hwmon, thermal, w1: where the kernel's sysfs tree is and which device.")]
    public SysfsSourceOptions Sysfs { get; set; } = new();

    [Description("type serial: a tty that prints one CSV or JSON line per reading.")]
    public SerialSourceOptions Serial { get; set; } = new();

    [Description("type i2c: a bus device and its register map (channels[i] reads registers[i]).")]
    public I2cSourceOptions I2c { get; set; } = new();

    [Description("type device: a chip by driver name (bme280, mpu6050, ...) and where it is attached; channels name the quantities to read (default: all of them).")]
    public DeviceSourceOptions Device { get; set; } = new();

    [Description("type gpio: input lines through libgpiod; channel fields are level:N, count:N or frequency:N.")]
    public GpioSourceOptions Gpio { get; set; } = new();

    public IReadOnlyList<SourceChannelOptions> EffectiveChannels() =>
        Type == SourceType.Device ? DeviceSources.Channels(Device, Channels) : Channels.Count > 0 ? Channels : [new SourceChannelOptions()];

    public string EffectiveName(int index) => Name.Length > 0 ? Name : $"{ConfigPath.CamelCase(Type.ToString())}{index}";

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        switch (Type)
        {
            case SourceType.Replay when Replay.Path.Length == 0:
                errors.Add(new ConfigError(ConfigPath.Child(path, "replay.path"), "is required for a replay source (the CSV or JSON Lines file to read)"));
                break;
            case SourceType.Mqtt when Mqtt.Topic.Length == 0:
                errors.Add(new ConfigError(ConfigPath.Child(path, "mqtt.topic"), "is required for an mqtt source (e.g. zigbee2mqtt/kitchen)"));
                break;
            case SourceType.Serial when Serial.Device.Length == 0:
                errors.Add(new ConfigError(ConfigPath.Child(path, "serial.device"), "is required for a serial source (e.g. /dev/ttyUSB0)"));
                break;
            case SourceType.Iio or SourceType.Hwmon when Sysfs.Device.Length == 0:
                errors.Add(new ConfigError(ConfigPath.Child(path, "sysfs.device"), $"is required for a {ConfigPath.CamelCase(Type.ToString())} source (e.g. iio:device0 or hwmon0)"));
                break;
            case SourceType.I2c when I2c.Registers.Count != EffectiveChannels().Count:
                errors.Add(new ConfigError(ConfigPath.Child(path, "i2c.registers"),
                    $"needs one register per channel: {EffectiveChannels().Count} channel(s), {I2c.Registers.Count} register(s)"));
                break;
            case SourceType.Device:
                DeviceSources.Validate(Device, EffectiveChannels(), path, errors);
                break;
            case SourceType.Gpio:
                GpioSources.Validate(EffectiveChannels(), path, errors);
                break;
            case SourceType.Simulated when Simulated.Signals.Count > 0 && Simulated.Signals.Count != EffectiveChannels().Count:
                errors.Add(new ConfigError(ConfigPath.Child(path, "simulated.signals"),
                    $"needs one signal per channel: {EffectiveChannels().Count} channel(s), {Simulated.Signals.Count} signal(s)"));
                break;
        }
    }
}
