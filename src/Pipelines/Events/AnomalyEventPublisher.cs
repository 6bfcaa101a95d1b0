using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// The last stage of a pipeline: feeds each window's score to the alert logic and publishes anomaly_start,
/// anomaly_update (at most every updateIntervalSeconds), anomaly_end and optional score telemetry to
/// <c>events/&lt;pipeline&gt;</c> through the durable outbound queue. Allocates nothing per window.
/// The alert's state is also kept retained at <c>alerts/&lt;pipeline&gt;</c> (<c>ON</c>/<c>OFF</c>, plus a JSON
/// <c>/attributes</c>): set OFF on the first window (a crash mid-alert leaves no stale ON), ON at start, its
/// attributes refreshed with each update, OFF at end. Home Assistant's binary sensor reads it.
/// </summary>
public sealed class AnomalyEventPublisher
{
    private readonly IOutboundQueue _queue;
    private readonly AnomalyScorer _scorer;
    private readonly AnomalyEventWriter _writer;
    private readonly byte[] _topic;
    private readonly byte[] _alertTopic;
    private readonly byte[] _attributesTopic;
    private bool _statePublished;
    private readonly long _updateTicks;
    private readonly long _scoreTicks;
    private readonly int[] _top;
    private readonly double[] _contributions;
    private long _lastUpdate;
    private long _lastScore = long.MinValue;
    private readonly IAlertObserver? _observer;

    public AnomalyEventPublisher(string deviceId, string pipeline, AlertOptions options, AlertStateMachine alert,
        AnomalyScorer scorer, int topFeatures, IOutboundQueue queue, IAlertObserver? observer = null)
    {
        Alert = alert;
        _observer = observer;
        _queue = queue;
        _scorer = scorer;
        _writer = new AnomalyEventWriter(deviceId, pipeline, alert.SeverityNames);
        _topic = MqttTopics.Events(pipeline);
        _alertTopic = MqttTopics.Alert(pipeline);
        _attributesTopic = MqttTopics.AlertAttributes(pipeline);
        _updateTicks = (long)(options.UpdateIntervalSeconds * TimeSpan.TicksPerSecond);
        _scoreTicks = (long)(options.ScoreIntervalSeconds * TimeSpan.TicksPerSecond);
        _top = new int[topFeatures];
        _contributions = new double[topFeatures];
    }

    public AlertStateMachine Alert { get; }

    public long EventsPublished { get; private set; }

    /// <summary>Call once per window after <see cref="AnomalyScorer.Score"/>; a detector's boxes go into anomaly_start.</summary>
    public AlertTransition OnWindow(double score, long windowStartTicks, long windowEndTicks, ReadOnlySpan<Detection> boxes = default)
    {
        var transition = Alert.Update(score, windowStartTicks, windowEndTicks);
        switch (transition)
        {
            case AlertTransition.Started:
                var count = _scorer.TopContributors(_top, _contributions);
                Publish(_writer.Start(Alert, score, windowStartTicks, windowEndTicks, _scorer.ContributorNames, _top.AsSpan(0, count), _contributions.AsSpan(0, count), boxes));
                PublishState(score, windowEndTicks);
                _lastUpdate = windowEndTicks;
                _observer?.Started(Alert, score, _scorer.ContributorNames, _top.AsSpan(0, count), _contributions.AsSpan(0, count), boxes);
                break;
            case AlertTransition.Ended:
                Publish(_writer.End(Alert));
                _observer?.Ended(Alert);
                PublishState(score, windowEndTicks);
                break;
            default:
                if (Alert.Active && _updateTicks > 0 && windowEndTicks - _lastUpdate >= _updateTicks)
                {
                    Publish(_writer.Update(Alert, score, windowEndTicks));
                    PublishAttributes(score, windowEndTicks);
                    _lastUpdate = windowEndTicks;
                }
                else if (!_statePublished)
                {
                    PublishState(score, windowEndTicks);
                }

                break;
        }

        if (_scoreTicks > 0 && !double.IsNaN(score) && (_lastScore == long.MinValue || windowEndTicks - _lastScore >= _scoreTicks))
        {
            Publish(_writer.Score(Alert, score, windowEndTicks));
            _lastScore = windowEndTicks;
        }

        return transition;
    }

    private void PublishState(double score, long ticks)
    {
        _queue.Enqueue(_alertTopic, Alert.Active ? "ON"u8 : "OFF"u8, MessageOptions.RetainedState);
        PublishAttributes(score, ticks);
        _statePublished = true;
    }

    private void PublishAttributes(double score, long ticks) =>
        _queue.Enqueue(_attributesTopic, _writer.AlertAttributes(Alert, score, ticks), MessageOptions.RetainedState);

    private void Publish(ReadOnlySpan<byte> payload)
    {
        _queue.Enqueue(_topic, payload, MessageOptions.Event);
        EventsPublished++;
    }
}
