using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Supervision;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// Writes every alert start and end of one pipeline to the log at Information, so <c>journalctl -u edgeagent</c>
/// tells the story without a broker. Runs only at transitions (the strings it builds are made then, never per
/// window); a flapping pipeline is held to a burst of lines per minute and the next line says how many were left out.
/// </summary>
public sealed partial class AlertLog : IAlertObserver
{
    private const int Burst = 10;
    private readonly string _pipeline;
    private readonly ILogger _logger;
    private readonly LogRateLimiter _limiter = new(Burst, TimeSpan.FromMinutes(1));

    public AlertLog(string pipeline, ILogger logger)
    {
        _pipeline = pipeline;
        _logger = logger;
    }

    /// <summary>Lines left out by the rate limit since the start.</summary>
    public long Suppressed => _limiter.TotalSuppressed;

    public void Started(AlertStateMachine alert, double score, IReadOnlyList<byte[]> contributorNames, ReadOnlySpan<int> top,
        ReadOnlySpan<double> contributions, ReadOnlySpan<Detection> boxes)
    {
        if (!_logger.IsEnabled(LogLevel.Information) || !_limiter.TryAcquire(Stopwatch.GetTimestamp(), out var suppressed))
        {
            return;
        }

        LogStarted(_logger, _pipeline, Severity(alert), score, alert.RaiseThreshold, Evidence(contributorNames, top, contributions, boxes),
            alert.AlertId, Suffix(suppressed));
    }

    public void Ended(AlertStateMachine alert)
    {
        if (!_logger.IsEnabled(LogLevel.Information) || !_limiter.TryAcquire(Stopwatch.GetTimestamp(), out var suppressed))
        {
            return;
        }

        var seconds = Math.Max(0, (alert.EndTicks - alert.StartTicks) / (double)TimeSpan.TicksPerSecond);
        LogEnded(_logger, _pipeline, Severity(alert), alert.PeakScore, alert.ClearThreshold, seconds, alert.AlertId, Suffix(suppressed));
    }

    private static string Severity(AlertStateMachine alert) =>
        alert.Severity >= 0 && alert.Severity < alert.SeverityNames.Count ? alert.SeverityNames[alert.Severity] : "none";

    private static string Suffix(long suppressed) =>
        suppressed == 0 ? string.Empty : $" ({suppressed} alert line(s) left out by the rate limit before this one)";

    /// <summary>"top: temperature.mean 92%, temperature.max 5%" or "boxes: class 0 0.91 at (0.10,0.20)-(0.40,0.80)".</summary>
    internal static string Evidence(IReadOnlyList<byte[]> names, ReadOnlySpan<int> top, ReadOnlySpan<double> contributions, ReadOnlySpan<Detection> boxes)
    {
        var text = new StringBuilder();
        if (boxes.Length > 0)
        {
            text.Append("boxes: ");
            for (var i = 0; i < Math.Min(boxes.Length, 3); i++)
            {
                var b = boxes[i];
                text.Append(i == 0 ? string.Empty : ", ").Append(CultureInfo.InvariantCulture,
                    $"class {b.ClassId} {b.Score:F2} at ({b.X1:F2},{b.Y1:F2})-({b.X2:F2},{b.Y2:F2})");
            }

            if (boxes.Length > 3)
            {
                text.Append(CultureInfo.InvariantCulture, $" and {boxes.Length - 3} more");
            }

            return text.ToString();
        }

        if (top.Length == 0)
        {
            return "no contributors";
        }

        text.Append("top: ");
        for (var i = 0; i < top.Length; i++)
        {
            var name = top[i] >= 0 && top[i] < names.Count ? Encoding.UTF8.GetString(names[top[i]]) : "#" + top[i].ToString(CultureInfo.InvariantCulture);
            text.Append(i == 0 ? string.Empty : ", ").Append(name).Append(CultureInfo.InvariantCulture, $" {contributions[i] * 100:F0}%");
        }

        return text.ToString();
    }

    [LoggerMessage(EventId = 2120, Level = LogLevel.Information,
        Message = "Alert started on {Pipeline}: {Severity}, score {Score:F3} >= threshold {Threshold:F3}; {Evidence} (alert {AlertId}){Suppressed}")]
    private static partial void LogStarted(ILogger logger, string pipeline, string severity, double score, double threshold, string evidence, Guid alertId, string suppressed);

    [LoggerMessage(EventId = 2121, Level = LogLevel.Information,
        Message = "Alert ended on {Pipeline}: {Severity}, peak score {Peak:F3}, back below {ClearThreshold:F3} after {DurationSeconds:F1} s (alert {AlertId}){Suppressed}")]
    private static partial void LogEnded(ILogger logger, string pipeline, string severity, double peak, double clearThreshold, double durationSeconds, Guid alertId, string suppressed);
}
