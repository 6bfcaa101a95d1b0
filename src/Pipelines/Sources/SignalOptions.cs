using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public enum SignalShape
{
    Sine,
    RandomWalk,
    Noise,
}

public sealed class SignalOptions
{
    [Description("sine, randomWalk or noise.")]
    public SignalShape Shape { get; set; } = SignalShape.Sine;

    [Description("Level the signal moves around.")]
    public double Offset { get; set; } = 20;

    [Description("Sine amplitude, or random-walk step size.")]
    public double Amplitude { get; set; } = 1;

    [Description("Sine period in seconds.")]
    [Range(0.001, 1e9)]
    public double PeriodSeconds { get; set; } = 60;

    [Description("Standard deviation of Gaussian noise added to every sample.")]
    [Range(0, 1e9)]
    public double Noise { get; set; } = 0.05;
}
