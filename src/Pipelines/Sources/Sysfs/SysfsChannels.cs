namespace EdgeAgent.Pipelines.Sources.Sysfs;

/// <summary>Maps the configuration of an iio, hwmon, thermal or w1 source to attribute files under its root.</summary>
internal static class SysfsChannels
{
    public static IReadOnlyList<PolledChannel> Create(SourceType type, SysfsSourceOptions options, IReadOnlyList<SourceChannelOptions> channels) =>
    [
        .. channels.Select(channel => type switch
        {
            SourceType.Iio => Iio(options, channel),
            SourceType.Hwmon => Hwmon(options, channel),
            SourceType.Thermal => Thermal(options, channel),
            SourceType.W1 => W1(options, channel),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a sysfs source"),
        }),
    ];

    /// <summary>IIO ABI: value = (in_X_raw + in_X_offset) * in_X_scale, with the scale/offset either per channel
    /// (in_voltage0_scale) or shared by the channel type (in_voltage_scale); absent means 1 and 0.</summary>
    private static PolledChannel Iio(SysfsSourceOptions options, SourceChannelOptions channel)
    {
        var field = channel.Field.Length > 0 ? channel.Field : "in_voltage0";
        var directory = DeviceDirectory(Path.Combine(options.Root, "bus", "iio", "devices"), options.Device);
        var shared = SharedPrefix(field);
        return new ScaledAttributeChannel(Path.Combine(directory, field + "_raw"), () =>
        {
            var scale = SysfsFile.ReadOptional(Path.Combine(directory, field + "_scale"), double.NaN);
            var offset = SysfsFile.ReadOptional(Path.Combine(directory, field + "_offset"), double.NaN);
            return (
                double.IsNaN(scale) ? SysfsFile.ReadOptional(Path.Combine(directory, shared + "_scale"), 1) : scale,
                double.IsNaN(offset) ? SysfsFile.ReadOptional(Path.Combine(directory, shared + "_offset"), 0) : offset);
        });
    }

    /// <summary>hwmon sysfs units: temp, in, curr, humidity in milli-units; power, energy in micro-units; fan in RPM.</summary>
    private static PolledChannel Hwmon(SysfsSourceOptions options, SourceChannelOptions channel)
    {
        var field = channel.Field.Length > 0 ? channel.Field : "temp1";
        var directory = DeviceDirectory(Path.Combine(options.Root, "class", "hwmon"), options.Device);
        var scale = field.StartsWith("power", StringComparison.Ordinal) || field.StartsWith("energy", StringComparison.Ordinal) ? 1e-6
            : field.StartsWith("fan", StringComparison.Ordinal) || field.StartsWith("pwm", StringComparison.Ordinal) ? 1
            : 1e-3;
        var file = field.EndsWith("_input", StringComparison.Ordinal) || field.StartsWith("pwm", StringComparison.Ordinal) ? field : field + "_input";
        return new ScaledAttributeChannel(Path.Combine(directory, file), () => (scale, 0));
    }

    private static PolledChannel Thermal(SysfsSourceOptions options, SourceChannelOptions channel)
    {
        var zone = channel.Field.Length > 0 ? channel.Field : "thermal_zone0";
        return new ScaledAttributeChannel(Path.Combine(options.Root, "class", "thermal", zone, "temp"), () => (1e-3, 0));
    }

    private static PolledChannel W1(SysfsSourceOptions options, SourceChannelOptions channel)
    {
        var devices = Path.Combine(options.Root, "bus", "w1", "devices");
        var id = channel.Field;
        if (id.Length == 0)
        {
            // The first DS18B20 present now; if none is plugged in yet, the source retries until one is.
            id = Directory.Exists(devices)
                ? Directory.GetDirectories(devices, "28-*").Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault() ?? "28-unknown"
                : "28-unknown";
        }

        return new W1Channel(Path.Combine(devices, id, "w1_slave"));
    }

    /// <summary>The device directory by its directory name (iio:device0, hwmon2) or by the chip name in its 'name' file.</summary>
    private static string DeviceDirectory(string parent, string device)
    {
        var direct = Path.Combine(parent, device);
        if (Directory.Exists(direct) || !Directory.Exists(parent))
        {
            return direct;
        }

        foreach (var candidate in Directory.GetDirectories(parent).Order(StringComparer.Ordinal))
        {
            var nameFile = Path.Combine(candidate, "name");
            if (File.Exists(nameFile) && File.ReadAllText(nameFile).Trim() == device)
            {
                return candidate;
            }
        }

        return direct;
    }

    /// <summary>in_voltage0 → in_voltage; in_accel_x → in_accel; in_temp → in_temp.</summary>
    private static string SharedPrefix(string field)
    {
        var trimmed = field.TrimEnd("0123456789".ToCharArray());
        foreach (var axis in new[] { "_x", "_y", "_z" })
        {
            if (trimmed.EndsWith(axis, StringComparison.Ordinal))
            {
                return trimmed[..^2];
            }
        }

        return trimmed;
    }
}
