using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Ota;

/// <summary>
/// How often a pipeline runs its model, from its configuration: a sensor pipeline once per window hop (seconds, or
/// samples at the simulated sources' rate), a camera pipeline once per frame at its capped frame rate. Null when the
/// configuration does not say (a sample-counted window over a source of unknown rate): then only the latency bound applies.
/// </summary>
public static class PipelinePeriod
{
    public static double? Milliseconds(PipelineOptions options)
    {
        if (options.Kind == PipelineKind.Camera)
        {
            var camera = options.Camera;
            var fps = camera is null ? 0 : camera.MaxFps > 0 ? camera.MaxFps : camera.DeviceFps;
            return fps > 0 ? 1000 / fps : null;
        }

        if (options.Window.Unit == WindowUnit.Seconds)
        {
            return options.Window.Hop * 1000;
        }

        var sources = options.EffectiveSources();
        return sources.All(s => s.Type == SourceType.Simulated && s.Simulated.SampleRateHz > 0)
            ? options.Window.Hop / sources.Max(s => s.Simulated.SampleRateHz) * 1000
            : null;
    }
}
