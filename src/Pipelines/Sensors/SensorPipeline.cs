using System.Runtime.CompilerServices;
using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Sensors;

/// <summary>
/// One sensor pipeline's hot loop: sample → window → features (into the model's input) → model → score →
/// alert → event. Allocates nothing per sample or window once constructed; call it from one thread.
/// </summary>
public sealed class SensorPipeline
{
    private readonly Windower _windower;
    private readonly FeaturePipeline _features;
    private readonly ModelSlot<IWindowModel> _slot;
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
        _slot = new ModelSlot<IWindowModel>(model, new SensorModelKind(features), publisher.Alert, features.Standardization);
        _scorer = scorer;
        _publisher = publisher;
        _window = windower.CreateWindowData();
    }

    public FeaturePipeline Features => _features;

    public WindowCounters Counters => _windower.Counters;

    public AlertStateMachine Alert => _publisher.Alert;

    public double LastScore { get; private set; } = double.NaN;

    /// <summary>The model, its swap, its shadow and its run, error and NaN counters.</summary>
    public ModelSlot<IWindowModel> Slot => _slot;

    /// <summary>The model scoring windows now (changes only on the loop thread, at a swap).</summary>
    public IWindowModel Model => _slot.Model;

    /// <summary>Windows that went through the model (one run each, failed or not), whichever model it was.</summary>
    public long Scored => _slot.Runs;

    /// <summary>The window just scored (valid until the next sample).</summary>
    public WindowData LastWindow => _window;

    /// <summary>Feeds one sample; returns how many windows it completed (and scored).</summary>
    public int OnSample(in Sample sample)
    {
        _windower.Push(sample);

        // Most samples complete no window: keep their path to a push and a flag test.
        return _windower.MayHaveWindow ? OnWindows() : 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int OnWindows()
    {
        var windows = 0;
        while (_windower.TryGetWindow(_window))
        {
            _slot.TakeSwapIfPending();
            var model = _slot.Model;
            _features.Write(_window, model.Input);
            windows++;
            if (!_slot.TryRun())
            {
                continue;
            }

            LastScore = _scorer.Score(model.Input, model.Output);
            _publisher.OnWindow(LastScore, _window.StartTicks, _window.EndTicks);
            _slot.Scored(LastScore);
        }

        return windows;
    }
}
