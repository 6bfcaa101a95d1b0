namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>The drivers the <c>device</c> source knows by name. Each family's entries live in their own part.</summary>
internal static partial class DeviceCatalog
{
    private static readonly DeviceDriverInfo[] s_all =
    [
        .. Climate(),
        .. Adc(),
        .. Motion(),
        .. Power(),
    ];

    public static IReadOnlyList<DeviceDriverInfo> All => s_all;

    public static string Names => string.Join(", ", s_all.Select(d => d.Name));

    public static DeviceDriverInfo? Find(string name)
    {
        foreach (var driver in s_all)
        {
            if (string.Equals(driver.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return driver;
            }
        }

        return null;
    }

    // Shared quantity definitions; ranges are the chips' datasheet operating ranges.
    private static DeviceQuantity Temperature(double min, double max) => new("temperature", "°C", min, max);

    private static DeviceQuantity Humidity => new("humidity", "%RH", 0, 100);

    private static DeviceQuantity Pressure => new("pressure", "hPa", 300, 1100);

    private static DeviceQuantity[] Axes(string prefix, string unit, double range) =>
        [new(prefix + "X", unit, -range, range), new(prefix + "Y", unit, -range, range), new(prefix + "Z", unit, -range, range)];

    private static int[] Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1)];

    /// <summary>Runs <paramref name="open"/> with the bus device, disposing it if the chip cannot be set up.</summary>
    private static DeviceDriver With<TBus>(TBus bus, Func<TBus, DeviceDriver> open)
        where TBus : IDisposable
    {
        try
        {
            return open(bus);
        }
        catch
        {
            bus.Dispose();
            throw;
        }
    }
}
