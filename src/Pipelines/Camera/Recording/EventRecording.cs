using EdgeAgent.Pipelines.Alerts;
using EdgeAgent.Pipelines.Camera.Snapshots;

namespace EdgeAgent.Pipelines.Camera.Recording;

/// <summary>
/// What a camera keeps for people around its events, from the recording ring: the full-resolution snapshot of
/// anomaly_start and the event clip. The loop calls <see cref="Snapshot"/> and <see cref="OnTransition"/> only on
/// alert transitions (never per frame); all file and ffmpeg work runs on the thread pool.
/// </summary>
public sealed class EventRecording
{
    private readonly FullFrameSnapshots _snapshots;

    public EventRecording(SegmentRing ring, FullFrameSnapshots snapshots, ClipRecorder? clips)
    {
        Ring = ring;
        _snapshots = snapshots;
        Clips = clips;
    }

    public SegmentRing Ring { get; }

    public ClipRecorder? Clips { get; }

    /// <summary>Takes the marks now (the model's outputs change with the next frame) and encodes off the loop.</summary>
    public Task<Snapshot> Snapshot(SnapshotWriter writer, CameraPipeline pipeline, DateTime time, CancellationToken cancellationToken)
    {
        var marks = SnapshotMarks.From(pipeline, pipeline.ClassNames);
        var id = pipeline.Alert.AlertId;
        return Task.Run(async () =>
        {
            var jpeg = await _snapshots.EncodeAsync(time, marks, cancellationToken).ConfigureAwait(false);
            return await writer.SaveAsync(jpeg, new DateTimeOffset(time, TimeSpan.Zero), id, cancellationToken).ConfigureAwait(false);
        }, CancellationToken.None);
    }

    /// <summary>Starts or ends the event's clip; returns the clip task at a start (null otherwise).</summary>
    public Task<Clip?>? OnTransition(AlertTransition transition, AlertStateMachine alert, DateTime frameTime, CancellationToken cancellationToken)
    {
        if (Clips is null)
        {
            return null;
        }

        switch (transition)
        {
            case AlertTransition.Started:
                // The streak that raised the alert began before the raising frame: the pre-roll counts from its first window.
                var start = new DateTime(Math.Min(alert.StartTicks, frameTime.Ticks), DateTimeKind.Utc);
                return Clips.Started(alert.AlertId, start, cancellationToken);
            case AlertTransition.Ended:
                Clips.Ended(frameTime);
                return null;
            default:
                return null;
        }
    }

    /// <summary>Keeps the ring and the clips under their caps: once a second while the camera runs.</summary>
    public async Task MaintainAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            Clips?.Prune(DateTime.UtcNow);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Ring.Prune(DateTime.UtcNow);
                Ring.CheckSpace();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
