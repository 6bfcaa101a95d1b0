using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Events;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// One camera pipeline's hot loop body: frame → motion filter (plus the periodic frame) → preprocessing straight
/// into the model's pinned input → model → score → the sensors' alert logic and event publisher. Allocates
/// nothing per frame once constructed; call it from one thread.
/// </summary>
public sealed class CameraPipeline : IDisposable
{
    private readonly ModelSlot<CameraModel> _slot;
    private readonly ImagePreprocessor _preprocessor;
    private readonly CameraScorer _scorer;
    private readonly AnomalyEventPublisher _publisher;
    private readonly MotionFilter? _motion;
    private readonly ScorerOptions _scorerOptions;

    public CameraPipeline(string name, CameraOptions camera, CameraModel model, ScorerOptions scorer, AnomalyEventPublisherFactory publisher)
    {
        Name = name;
        _preprocessor = new ImagePreprocessor(camera.Width, camera.Height, camera.Channels, model.Width, model.Height, model.Layout,
            mean: [.. camera.InputMean.Select(v => (float)v)], std: [.. camera.InputStd.Select(v => (float)v)]);
        _scorerOptions = scorer;
        _scorer = CameraScorer.Create(scorer, model.OutputTensor.Shape, model.OutputTensor.ElementCount, _preprocessor.Geometry);
        _publisher = publisher(_scorer);
        _slot = new ModelSlot<CameraModel>(model, new CameraModelKind(this), _publisher.Alert);
        _motion = camera.Motion.Enabled ? new MotionFilter(camera.Width, camera.Height, camera.PixelFormat, camera.Motion) : null;
    }

    /// <summary>Builds the publisher around the scorer the pipeline chose (the publisher names its contributors).</summary>
    public delegate AnomalyEventPublisher AnomalyEventPublisherFactory(AnomalyScorer scorer);

    public string Name { get; }

    /// <summary>The model, its swap, its shadow and its run, error and NaN counters.</summary>
    public ModelSlot<CameraModel> Slot => _slot;

    /// <summary>The model scoring frames now (changes only on the loop thread, at a swap).</summary>
    public CameraModel Model => _slot.Model;

    public AlertStateMachine Alert => _publisher.Alert;

    public long EventsPublished => _publisher.EventsPublished;

    /// <summary>Frames scored by the model.</summary>
    public long FramesScored { get; private set; }

    /// <summary>Frames the motion filter let pass by unscored (none while an alert is raised).</summary>
    public long FramesSkipped { get; private set; }

    public double LastScore { get; private set; } = double.NaN;

    /// <summary>Where the frame lies in the model input (maps model coordinates back to the frame for snapshots).</summary>
    public LetterboxGeometry Geometry => _preprocessor.Geometry;

    /// <summary>The scorer's class names (detection and classification models), for snapshot labels.</summary>
    public IReadOnlyList<byte[]> ClassNames => _scorer.ContributorNames;

    /// <summary>The boxes of the last scored frame (detection models).</summary>
    public ReadOnlySpan<Detection> Detections => _scorer.Detections;

    /// <summary>Scores one frame (unless the motion filter skips it); <paramref name="utcTicks"/> is the frame's time.</summary>
    public AlertTransition OnFrame(ReadOnlySpan<byte> pixels, long stopwatchTimestamp, long utcTicks)
    {
        _slot.TakeSwapIfPending();

        // The motion filter saves the model's runs while nothing moves, but only while no alert is raised: a still
        // frame during an alert is scored, so the alert ends as soon as the scene is normal again (once the figure
        // has left) instead of waiting for the periodic forced frames. The filter still sees every frame, to keep
        // its background current.
        if (_motion is not null && !_motion.Evaluate(pixels, stopwatchTimestamp) && !_publisher.Alert.Active)
        {
            FramesSkipped++;
            return AlertTransition.None;
        }

        var model = _slot.Model;
        if (model.ByteInput)
        {
            _preprocessor.Process(pixels, model.ByteInputSpan);
        }
        else
        {
            _preprocessor.Process(pixels, model.FloatInput);
        }

        if (!_slot.TryRun())
        {
            return AlertTransition.None;
        }

        LastScore = _scorer.Score(default, model.Output);
        FramesScored++;
        var transition = _publisher.OnWindow(LastScore, utcTicks, utcTicks, _scorer.Detections);
        _slot.Scored(LastScore);
        return transition;
    }

    /// <summary>A fresh scorer of the pipeline's kind for its model's output (a shadow candidate's own: scorers keep per-frame state).</summary>
    public CameraScorer CreateScorer() => CameraScorer.Create(_scorerOptions, Model.OutputTensor.Shape, Model.OutputTensor.ElementCount, _preprocessor.Geometry);

    /// <summary>After a capture restart the picture may have moved: the motion filter re-learns its background.</summary>
    public void ResetMotion() => _motion?.Reset();

    public void Dispose() => _slot.Model.Dispose();
}
