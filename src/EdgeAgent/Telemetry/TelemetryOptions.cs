using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Telemetry;

public sealed class TelemetryOptions
{
    [Description("Seconds between telemetry reports.")]
    [Range(1, 86400)]
    public int IntervalSeconds { get; set; } = 60;
}
