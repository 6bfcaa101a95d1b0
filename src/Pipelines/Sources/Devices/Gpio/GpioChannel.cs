using System.Diagnostics;

namespace EdgeAgent.Pipelines.Sources.Devices.Gpio;

/// <summary>One gpio channel: a line's level, its debounced edge count, or its edge frequency over the last poll.</summary>
internal sealed class GpioChannel : PolledChannel
{
    private readonly GpioLines _lines;
    private readonly GpioInput _input;
    private long _lastCount = -1;
    private long _lastTimestamp;

    public GpioChannel(GpioLines lines, GpioInput input)
    {
        _lines = lines;
        _input = input;
    }

    public override string Device => _lines.Device;

    public override void Open()
    {
        _lines.Open();
        _lastCount = -1;
    }

    public override bool Read(SourceContext context, out double value)
    {
        switch (_input.Kind)
        {
            case GpioInputKind.Level:
                value = _lines.Level(_input.Line);
                return true;
            case GpioInputKind.Count:
                value = _lines.Count(_input.Line);
                return true;
            default:
                // The first poll after opening has no interval to divide by yet.
                var count = _lines.Count(_input.Line);
                var now = Stopwatch.GetTimestamp();
                var previous = _lastCount;
                var seconds = (double)(now - _lastTimestamp) / Stopwatch.Frequency;
                _lastCount = count;
                _lastTimestamp = now;
                value = previous < 0 || seconds <= 0 ? double.NaN : (count - previous) / seconds;
                return previous >= 0 && seconds > 0;
        }
    }

    public override void Close() => _lines.Close();
}
