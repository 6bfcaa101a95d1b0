using System.Globalization;

namespace EdgeAgent.Pipelines.Sources.Devices.Gpio;

public enum GpioInputKind
{
    Level,
    Count,
    Frequency,
}

/// <summary>A gpio channel's field, e.g. count:17.</summary>
internal readonly record struct GpioInput(GpioInputKind Kind, int Line)
{
    public const string Syntax = "level:N, count:N or frequency:N (N = the line offset, e.g. level:17)";

    public static bool TryParse(string field, out GpioInput input)
    {
        input = default;
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !Enum.TryParse<GpioInputKind>(field.AsSpan(0, colon), ignoreCase: true, out var kind) || !Enum.IsDefined(kind)
            || !int.TryParse(field.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var line) || line > 1023)
        {
            return false;
        }

        input = new GpioInput(kind, line);
        return true;
    }
}
