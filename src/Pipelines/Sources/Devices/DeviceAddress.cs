using System.Globalization;

namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>Reads an I2C address written as "0x76" or "118".</summary>
internal static class DeviceAddress
{
    public static bool TryParse(string text, out int address)
    {
        var trimmed = text.Trim();
        return trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(trimmed.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out address);
    }

    /// <summary>The configured address, or the driver's default when none is given. Call after validation.</summary>
    public static int Resolve(DeviceSourceOptions options, DeviceDriverInfo driver) =>
        options.Address.Length > 0 && TryParse(options.Address, out var address) ? address : driver.DefaultAddress;
}
