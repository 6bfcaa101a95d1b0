using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices;
using EdgeAgent.Pipelines.Sources.Devices.Gpio;
using EdgeAgent.Pipelines.Sources.Sysfs;
using EdgeAgent.Pipelines.Windowing;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>Builds a sensor pipeline's stages from its validated options.</summary>
public static class SensorPipelineFactory
{
    /// <summary>Every channel of every source, in pipeline order (the index of a <see cref="Sample.Channel"/>).</summary>
    public static IReadOnlyList<SourceChannelOptions> Channels(PipelineOptions options) =>
        [.. options.EffectiveSources().SelectMany(s => s.EffectiveChannels())];

    public static Windower CreateWindower(PipelineOptions options) =>
        new(options.Window, [.. Channels(options).Select(c => new ChannelRange(c.Min ?? double.NegativeInfinity, c.Max ?? double.PositiveInfinity))]);

    public static FeaturePipeline CreateFeatures(PipelineOptions options) =>
        FeaturePipeline.Create(options.EffectiveFeatures(), [.. Channels(options).Select(c => c.Name)], (int)options.Window.Size);

    public static AnomalyScorer CreateScorer(ScorerOptions options, FeaturePipeline features) => options.Kind switch
    {
        ScorerKind.Output => new OutputScorer(options.OutputIndex),
        ScorerKind.Probability => new ProbabilityScorer(options.Classes, options.AnomalousClasses),
        _ => new ReconstructionScorer(features.Utf8Names, options.Metric),
    };

    /// <summary>The whole pipeline around a model. <paramref name="modelThreshold"/> comes from the model manifest
    /// and applies unless alert.raiseThreshold is set. <paramref name="alerts"/> hears each alert's start and end (the log line).</summary>
    public static SensorPipeline Create(PipelineOptions options, string deviceId, IWindowModel model, double? modelThreshold,
        IOutboundQueue queue, FeaturePipeline? features = null, IAlertObserver? alerts = null)
    {
        features ??= CreateFeatures(options);
        var scorer = CreateScorer(options.Scorer, features);
        var alert = new AlertStateMachine(options.Alert, modelThreshold);
        var publisher = new AnomalyEventPublisher(deviceId, options.Name, options.Alert, alert, scorer, options.Scorer.TopFeatures, queue, alerts);
        return new SensorPipeline(CreateWindower(options), features, model, scorer, publisher);
    }

    /// <summary>The sources, numbered so that their channels follow each other in <see cref="Channels"/> order.</summary>
    /// <param name="subscriptions">The MQTT link's inbound side; needed only by mqtt sources.</param>
    public static IReadOnlyList<SampleSource> CreateSources(PipelineOptions options, ILoggerFactory loggers, IMessageSubscriptions? subscriptions = null)
    {
        var sources = new List<SampleSource>();
        var channelBase = 0;
        var all = options.EffectiveSources();
        for (var i = 0; i < all.Count; i++)
        {
            var source = all[i];
            var channels = source.EffectiveChannels();
            var name = $"{options.Name}/{source.EffectiveName(i)}";
            var context = new SourceContext(name, channelBase, channels, loggers.CreateLogger("EdgeAgent.Pipelines.Sources." + source.Type),
                TimeSpan.FromSeconds(source.TimestampToleranceSeconds));
            sources.Add(CreateSource(source, context, subscriptions));
            channelBase += channels.Count;
        }

        return sources;
    }

    private static SampleSource CreateSource(SourceOptions source, SourceContext context, IMessageSubscriptions? subscriptions)
    {
        var maxRetry = TimeSpan.FromSeconds(source.MaxRetrySeconds);
        return source.Type switch
        {
            SourceType.Simulated => new SimulatedSource(context, source.Simulated),
            SourceType.Replay => new ReplaySource(context, source.Replay, maxRetry),
            SourceType.Iio or SourceType.Hwmon or SourceType.Thermal or SourceType.W1 =>
                new PolledSource(context, SysfsChannels.Create(source.Type, source.Sysfs, context.Channels), Interval(source), maxRetry),
            SourceType.Serial => new SerialSource(context, source.Serial, maxRetry),
            SourceType.I2c => new PolledSource(context, [.. source.I2c.Registers.Select(r => new I2cChannel(source.I2c.Device, source.I2c.Address, r))], Interval(source), maxRetry),
            SourceType.Device => DeviceSources.Create(source, context, Interval(source), maxRetry),
            SourceType.Gpio => GpioSources.Create(source, context, Interval(source), maxRetry),
            SourceType.Mqtt => new MqttSource(context, source.Mqtt, subscriptions
                ?? throw new ConfigurationException($"source '{context.Name}' reads MQTT, but the MQTT link is not enabled: set mqtt.enabled and mqtt.host, or use another source type")),
            _ => throw new NotSupportedException($"source type '{source.Type}' is not available in this build"),
        };
    }

    private static TimeSpan Interval(SourceOptions source) => TimeSpan.FromMilliseconds(source.PollIntervalMilliseconds);
}
