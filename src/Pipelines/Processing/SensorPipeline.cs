using System.Threading.Channels;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Processing;

/// <summary>
/// One sensor pipeline's hot loop: sample → window → features (into the model's input) → model → score →
/// alert → event. Allocates nothing per sample or window once constructed; call it from one thread.
/// </summary>
public sealed class SensorPipeline
{
    private readonly Windower _windower;
    private readonly FeaturePipeline _features;
    private readonly IWindowModel _model;
    private readonly AnomalyScorer _scorer;
    private readonly AnomalyEventPublisher _publisher;
    private readonly WindowData _window;

    public SensorPipeline(Windower windower, FeaturePipeline features, IWindowModel model, AnomalyScorer scorer, AnomalyEventPublisher publisher)
    {
        if (model.Input.Length != features.Length)
        {
            throw new ArgumentException($"the model takes {model.Input.Length} input values but the feature pipeline writes {features.Length} ({string.Join(", ", features.Names.Take(8))}{(features.Length > 8 ? ", ..." : string.Empty)})");
        }

        _windower = windower;
        _features = features;
        _model = model;
        _scorer = scorer;
        _publisher = publisher;
        _window = windower.CreateWindowData();
    }

    public WindowCounters Counters => _windower.Counters;

    public AlertStateMachine Alert => _publisher.Alert;

    public double LastScore { get; private set; } = double.NaN;

    /// <summary>The window just scored (valid until the next sample).</summary>
    public WindowData LastWindow => _window;

    /// <summary>Feeds one sample; returns how many windows it completed (and scored).</summary>
    public int OnSample(in Sample sample)
    {
        _windower.Push(sample);
        var windows = 0;
        while (_windower.TryGetWindow(_window))
        {
            _features.Write(_window, _model.Input);
            _model.Run();
            LastScore = _scorer.Score(_model.Input, _model.Output);
            _publisher.OnWindow(LastScore, _window.StartTicks, _window.EndTicks);
            windows++;
        }

        return windows;
    }

    /// <summary>Consumes samples until the writer completes or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(ChannelReader<Sample> samples, CancellationToken cancellationToken)
    {
        while (await samples.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (samples.TryRead(out var sample))
            {
                OnSample(sample);
            }
        }
    }
}
