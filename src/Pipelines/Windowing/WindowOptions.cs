using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Windowing;

public enum WindowUnit
{
    Samples,
    Seconds,
}

public sealed class WindowOptions : IValidatedOptions
{
    [Description("Whether size and hop count samples or seconds.")]
    public WindowUnit Unit { get; set; } = WindowUnit.Samples;

    [Description("Window length (samples or seconds).")]
    [Range(1e-3, 1_000_000)]
    public double Size { get; set; } = 64;

    [Description("Distance between window starts (samples or seconds); smaller than size overlaps windows.")]
    [Range(1e-3, 1_000_000)]
    public double Hop { get; set; } = 16;

    [Description("Channels are aligned on the first channel's timestamps; another channel's last value is held for at most this long.")]
    [Range(0, 86_400)]
    public double ToleranceSeconds { get; set; } = 1;

    [Description("A silence longer than this ends the window (counted; nothing is invented to fill it).")]
    [Range(1e-3, 31_536_000)]
    public double MaxGapSeconds { get; set; } = 60;

    [Description("unit seconds: most samples a window may hold.")]
    [Range(2, 1_000_000)]
    public int MaxSamples { get; set; } = 4096;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Hop > Size)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "hop"), $"must not exceed size ({Size}), got {Hop}; samples between windows would be skipped"));
        }

        if (Unit == WindowUnit.Samples && (Size != Math.Floor(Size) || Hop != Math.Floor(Hop) || Size < 2))
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "size"), $"with unit 'samples', size (>= 2) and hop must be whole numbers, got {Size} and {Hop}"));
        }
    }
}
