using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices;

/// <summary>Opens a driver by name on an emulated bus, the way the device source does, and reads it.</summary>
internal sealed class DeviceReading
{
    private readonly DeviceSession _session;
    private readonly int[] _quantities;

    public DeviceReading(EmulatedBus bus, string driver, DeviceSourceOptions? options = null, params string[] fields)
    {
        options ??= new DeviceSourceOptions();
        options.Driver = driver;
        var info = DeviceCatalog.Find(driver) ?? throw new ArgumentException(driver);
        Info = info;
        _quantities = fields.Length == 0 ? [.. Enumerable.Range(0, info.Quantities.Length)] : [.. fields.Select(info.IndexOf)];
        Context = new SourceContext(driver, 0, [.. _quantities.Select(q => new SourceChannelOptions { Name = info.Quantities[q].Name })], NullLogger.Instance);
        _session = new DeviceSession(info, options, DeviceAddress.Resolve(options, info), _quantities, bus.Buses);
    }

    public DeviceDriverInfo Info { get; }

    public SourceContext Context { get; }

    public DeviceReading Open()
    {
        _session.Open();
        return this;
    }

    /// <summary>One poll: the wanted quantities by name (NaN where nothing usable came).</summary>
    public Dictionary<string, double> Read()
    {
        _session.Refresh(Context);
        return _quantities.ToDictionary(q => Info.Quantities[q].Name, _session.Value);
    }

    public void Close() => _session.Close();
}
