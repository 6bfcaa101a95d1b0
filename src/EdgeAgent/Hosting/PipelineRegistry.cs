using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Hosting;

/// <summary>
/// The agent's pipeline services by name, for whoever needs a running pipeline (OTA, telemetry): one lookup in place
/// of searching the hosted services. Resolved lazily, since the services are built after their consumers register.
/// </summary>
public sealed class PipelineRegistry(IServiceProvider provider)
{
    private readonly Lazy<IReadOnlyList<IHostedService>> _services = new(() => [.. provider.GetServices<IHostedService>()]);

    public SensorPipelineService? Sensor(string name) => _services.Value.OfType<SensorPipelineService>().FirstOrDefault(s => s.PipelineName == name);

    public CameraPipelineService? Camera(string name) => _services.Value.OfType<CameraPipelineService>().FirstOrDefault(s => s.PipelineName == name);

    /// <summary>A running pipeline's model slot, whatever its kind; null when it is not running (or has no such name).</summary>
    public IModelSlot? Slot(string name) => (IModelSlot?)Sensor(name)?.Runner?.Pipeline.Slot ?? Camera(name)?.Pipeline?.Slot;
}
