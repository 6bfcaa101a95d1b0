using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace EdgeAgent.Pipelines.Alerts;

public sealed class SeverityOptions
{
    [Description("Name in events (e.g. warning, critical).")]
    [RegularExpression("^[A-Za-z0-9_-]{1,32}$", ErrorMessage = "must be 1..32 characters of A-Z, a-z, 0-9, '_' or '-'")]
    public string Name { get; set; } = "warning";

    [Description("The severity applies when the peak score reaches this multiple of the raise threshold.")]
    [Range(0, 1e9)]
    public double AtThresholdMultiple { get; set; } = 1;
}
