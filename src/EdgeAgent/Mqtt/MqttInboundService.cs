using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Mqtt;

/// <summary>Runs subscription handlers off libmosquitto's thread, one message at a time.</summary>
internal sealed class MqttInboundService(MqttLink link) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await link.DispatchInboundAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
