using System.ComponentModel;

namespace EdgeAgent.Pipelines.Sources;

public sealed class SysfsSourceOptions
{
    [Description("Root of the sysfs tree (tests point it at a temporary directory).")]
    public string Root { get; set; } = "/sys";

    [Description("iio: the device directory (iio:device0); hwmon: hwmonN or the chip name in its 'name' file (e.g. coretemp, cpu_thermal); thermal, w1: unused.")]
    public string Device { get; set; } = string.Empty;
}
