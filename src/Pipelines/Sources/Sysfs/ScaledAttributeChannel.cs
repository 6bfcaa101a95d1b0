namespace EdgeAgent.Pipelines.Sources.Sysfs;

/// <summary>A numeric sysfs attribute turned into a value by (raw + offset) * scale; how scale and offset are found
/// is up to the factory (IIO reads them from files at open, hwmon and thermal use fixed unit factors).</summary>
internal sealed class ScaledAttributeChannel : PolledChannel
{
    private readonly SysfsFile _file;
    private readonly Func<(double Scale, double Offset)> _calibration;
    private double _scale = 1;
    private double _offset;

    public ScaledAttributeChannel(string path, Func<(double Scale, double Offset)> calibration)
    {
        _file = new SysfsFile(path);
        _calibration = calibration;
    }

    public override string Device => _file.Path;

    public override void Open()
    {
        _file.Open();

        // Scale and offset can change with the device's configuration, so they are read at every (re)open.
        (_scale, _offset) = _calibration();
    }

    public override bool Read(SourceContext context, out double value)
    {
        if (!_file.TryReadNumber(out var raw))
        {
            value = 0;
            context.Reject(BadInput.NonNumeric, $"{_file.Path} does not hold a number");
            return false;
        }

        value = (raw + _offset) * _scale;
        return true;
    }

    public override void Close() => _file.Close();
}
