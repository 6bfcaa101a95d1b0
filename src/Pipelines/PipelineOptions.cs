using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines;

public enum PipelineKind
{
    Sensor,
    Camera,
}

public sealed class PipelineOptions : IValidatedOptions
{
    [Description("Unique name; becomes the MQTT topic level of the pipeline's events.")]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "must be 1..64 characters of A-Z, a-z, 0-9, '_' or '-' (it becomes an MQTT topic level)")]
    public string Name { get; set; } = string.Empty;

    [Description("sensor or camera.")]
    public PipelineKind Kind { get; set; } = PipelineKind.Sensor;

    [Description("Run this pipeline.")]
    public bool Enabled { get; set; } = true;

    [Description("Where the samples come from (sensor pipelines). Several sources are aligned by timestamp; their channels are numbered in order. Default: one simulated source.")]
    public List<SourceOptions> Sources { get; set; } = [];

    [Description("How samples are cut into windows.")]
    public WindowOptions Window { get; set; } = new();

    [Description("Feature steps written into the model input, in order. Default: statistics of every channel.")]
    public List<FeatureOptions> Features { get; set; } = [];

    [Description("The anomaly model run on each window's features.")]
    public ModelOptions Model { get; set; } = new();

    [Description("The built-in streaming detector, run when model.path is empty (it learns from the first window on).")]
    public Novelty.DetectorOptions Detector { get; set; } = new();

    [Description("How the model output becomes an anomaly score.")]
    public ScorerOptions Scorer { get; set; } = new();

    [Description("When a score raises and clears an alert, and which events are published.")]
    public AlertOptions Alert { get; set; } = new();

    /// <summary>The sources to run: the configured ones, or the bundled demo's simulated source.</summary>
    public IReadOnlyList<SourceOptions> EffectiveSources() => Sources.Count > 0 ? Sources : [new SourceOptions()];

    /// <summary>The feature steps to run: the configured ones, or statistics of every channel.</summary>
    public IReadOnlyList<FeatureOptions> EffectiveFeatures() => Features.Count > 0 ? Features : [new FeatureOptions()];

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        if (Kind == PipelineKind.Camera && Camera is null)
        {
            errors.Add(new ConfigError(ConfigPath.Child(path, "camera"), "a camera pipeline needs a camera section with at least an input"));
        }

        if (Kind != PipelineKind.Sensor)
        {
            return;
        }

        var channels = new HashSet<string>(StringComparer.Ordinal);
        var sources = EffectiveSources();
        for (var i = 0; i < sources.Count; i++)
        {
            foreach (var channel in sources[i].EffectiveChannels())
            {
                if (!channels.Add(channel.Name))
                {
                    errors.Add(new ConfigError(ConfigPath.Index(ConfigPath.Child(path, "sources"), i) + ".channels",
                        $"channel '{channel.Name}' is also produced by another source; channel names must be unique within a pipeline"));
                }
            }
        }

        var features = EffectiveFeatures();
        for (var i = 0; i < features.Count; i++)
        {
            var featurePath = ConfigPath.Index(ConfigPath.Child(path, "features"), i);
            if (features[i].Kind is FeatureKind.Raw or FeatureKind.FftBands && Window.Unit == WindowUnit.Seconds)
            {
                errors.Add(new ConfigError(featurePath + ".kind",
                    $"'{ConfigPath.CamelCase(features[i].Kind.ToString())}' needs a fixed number of samples per window; set window.unit to 'samples'"));
            }

            foreach (var name in features[i].Channels)
            {
                if (!channels.Contains(name))
                {
                    errors.Add(new ConfigError(featurePath + ".channels",
                        $"unknown channel '{name}'; the sources produce: {string.Join(", ", channels)}"));
                }
            }

            if (features[i].Kind == FeatureKind.FftBands && Window.Unit == WindowUnit.Samples &&
                !System.Numerics.BitOperations.IsPow2((int)Window.Size))
            {
                errors.Add(new ConfigError(ConfigPath.Child(path, "window.size"),
                    $"fftBands needs a power-of-two window size (e.g. 64, 128, 256), got {Window.Size}"));
            }
        }
    }
    [Description("Camera pipelines: the ffmpeg-decoded input, frame size and supervision. Required for kind camera, absent otherwise.")]
    public Camera.CameraOptions? Camera { get; set; }
}
