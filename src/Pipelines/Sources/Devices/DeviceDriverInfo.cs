namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>A driver the <c>device</c> source knows by name: where the chip sits, what it offers, how to open it.</summary>
internal sealed record DeviceDriverInfo(
    string Name,
    string Description,
    DeviceBusKind Bus,
    int[] Addresses,
    DeviceQuantity[] Quantities,
    Func<DeviceConnection, DeviceDriver> Open)
{
    /// <summary>The address used when the config gives none (the first of <see cref="Addresses"/>).</summary>
    public int DefaultAddress => Addresses.Length > 0 ? Addresses[0] : 0;

    public int IndexOf(string quantity)
    {
        for (var i = 0; i < Quantities.Length; i++)
        {
            if (string.Equals(Quantities[i].Name, quantity, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
