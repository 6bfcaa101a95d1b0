using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Sources;

public sealed class SimulatedSourceOptions
{
    [Description("Samples per second per channel.")]
    [Range(0.001, 100_000)]
    public double SampleRateHz { get; set; } = 10;

    [Description("Seed of the noise; the same seed gives the same samples.")]
    public int Seed { get; set; } = 42;

    [Description("Pace samples in real time (the demo); false produces them as fast as the pipeline takes them (tests, benchmarks).")]
    public bool RealTime { get; set; } = true;

    [Description("One signal per channel. Default: a 60 s sine of amplitude 1 around 20 with noise 0.05.")]
    public List<SignalOptions> Signals { get; set; } = [];

    [Description("Anomalies injected on a schedule.")]
    public List<InjectedAnomalyOptions> Anomalies { get; set; } = [];
}
