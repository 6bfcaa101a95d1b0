using System.Text.Json;

namespace EdgeAgent.Tests.Support;

/// <summary>A pipeline's object in the agent's telemetry reports (<c>pipelines.&lt;name&gt;</c>).</summary>
public static class TelemetryReports
{
    /// <summary>
    /// The pipeline's object of the first report that matches, among those received after the first
    /// <paramref name="skip"/> messages (pass <c>telemetry.Messages.Count</c> for "from now on").
    /// </summary>
    public static async Task<JsonElement> WaitForPipelineAsync(MqttSubscriber telemetry, string pipeline, Func<JsonElement, bool> match,
        TimeSpan timeout, int skip = 0)
    {
        JsonElement? found = null;
        await telemetry.WaitForAsync(messages =>
        {
            foreach (var message in messages.Skip(skip))
            {
                var report = JsonDocument.Parse(message.Payload).RootElement.GetProperty("pipelines").GetProperty(pipeline);
                if (match(report))
                {
                    found = report.Clone();
                    return true;
                }
            }

            return false;
        }, timeout, $"a matching telemetry report of pipeline {pipeline}");
        return found!.Value;
    }
}
