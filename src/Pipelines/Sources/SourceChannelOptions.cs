using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>One value stream of a source. What <see cref="Field"/> means depends on the source type.</summary>
public sealed class SourceChannelOptions : IValidatedOptions
{
    [Description("Channel name, used in features and events (e.g. temperature, or a CSV column such as 'Volume Flow RateRMS').")]
    [RegularExpression("^[A-Za-z0-9_.-]([A-Za-z0-9 _.-]{0,62}[A-Za-z0-9_.-])?$", ErrorMessage = "must be 1..64 characters of A-Z, a-z, 0-9, ' ', '_', '.' or '-', not starting or ending with a space")]
    public string Name { get; set; } = "value";

    [Description("Unit, for people reading events (e.g. °C, m/s², hPa).")]
    public string Unit { get; set; } = string.Empty;

    [Description("Where the value comes from: replay/serial CSV column name or JSON path, MQTT JSON path (temperature, sensors.0.value), iio channel (in_voltage0), hwmon attribute (temp1), thermal zone (thermal_zone0), w1 device id (28-0316a2795aff). Empty: the channel name (replay, mqtt, serial) or the first one found.")]
    public string Field { get; set; } = string.Empty;

    [Description("Smallest plausible value; smaller values are rejected and counted. Empty: no limit.")]
    public double? Min { get; set; }

    [Description("Largest plausible value; larger values are rejected and counted. Empty: no limit.")]
    public double? Max { get; set; }

    public string EffectiveField => Field.Length > 0 ? Field : Name;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Min is { } min && Max is { } max && min >= max)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "max"), $"must be greater than min ({min}), got {max}"));
        }
    }
}
