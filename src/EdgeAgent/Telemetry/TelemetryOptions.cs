using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Telemetry;

public sealed class TelemetryOptions
{
    [Description("Publish periodic telemetry to <baseTopic>/telemetry.")]
    public bool Enabled { get; set; } = true;

    [Description("Seconds between telemetry reports.")]
    [Range(1, 86400)]
    public int IntervalSeconds { get; set; } = 60;
}
