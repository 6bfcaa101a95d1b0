namespace EdgeAgent.Pipelines.Sources.Devices;

/// <summary>One quantity of a chip as a polled channel. The first channel of a source reads the chip; the others
/// take their value from the same reading, so one poll is one bus transaction set, not one per channel.</summary>
internal sealed class DeviceChannel : PolledChannel
{
    private readonly DeviceSession _session;
    private readonly int _quantity;
    private readonly bool _reads;

    public DeviceChannel(DeviceSession session, int quantity, bool reads)
    {
        _session = session;
        _quantity = quantity;
        _reads = reads;
    }

    public override string Device => _session.Device;

    public override void Open() => _session.Open();

    public override bool Read(SourceContext context, out double value)
    {
        if (_reads)
        {
            _session.Refresh(context);
        }

        value = _session.Value(_quantity);
        return !double.IsNaN(value);
    }

    public override void Close() => _session.Close();
}
