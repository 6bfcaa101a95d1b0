using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Events;

/// <summary>
/// Told of each alert's start and end by <see cref="AnomalyEventPublisher"/>, right after the event is queued. Called on
/// the pipeline's loop thread and only at those transitions, never per window: keep it short and never throw.
/// </summary>
public interface IAlertObserver
{
    /// <param name="contributorNames">What <paramref name="top"/> indexes (features or classes), UTF-8.</param>
    void Started(AlertStateMachine alert, double score, IReadOnlyList<byte[]> contributorNames, ReadOnlySpan<int> top,
        ReadOnlySpan<double> contributions, ReadOnlySpan<Detection> boxes);

    void Ended(AlertStateMachine alert);
}
