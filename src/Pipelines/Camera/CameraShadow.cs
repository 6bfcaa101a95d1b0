using System.Diagnostics;
using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Pipelines.Camera;

/// <summary>
/// A candidate scene model scoring live frames beside the active one (an OTA shadow period). After the active model
/// has scored a frame and its events are published, the loop copies the same preprocessed input into the
/// candidate's pinned input tensor (it passed <see cref="CameraPipeline.Fit"/>, so the shapes match), runs it, and
/// scores its output with a scorer of its own against its own threshold. Nothing it computes is published; only
/// counted (<see cref="ShadowRecorder"/>). Allocates nothing per frame. Attached with <see cref="CameraPipeline.AttachShadow"/>.
/// </summary>
public sealed class CameraShadow
{
    private readonly CameraScorer _scorer;
    private readonly double _threshold;
    private readonly ShadowRecorder _recorder = new();

    /// <param name="model">The candidate (fit-checked and smoke-tested already).</param>
    /// <param name="scorer">A scorer of its own (<see cref="CameraPipeline.CreateScorer"/>): scorers keep per-frame scratch state.</param>
    /// <param name="raiseThreshold">The threshold it would alert at (its manifest's, unless alert.raiseThreshold is configured).</param>
    public CameraShadow(CameraModel model, CameraScorer scorer, double raiseThreshold)
    {
        Model = model;
        _scorer = scorer;
        _threshold = raiseThreshold;
    }

    public CameraModel Model { get; }

    public double RaiseThreshold => _threshold;

    /// <summary>The counters so far; <see cref="ShadowStatistics.Windows"/> counts frames here.</summary>
    public ShadowStatistics Statistics => _recorder.Statistics;

    /// <summary>Ends the shadow: when this returns the loop no longer touches the candidate (it may be disposed or swapped in).</summary>
    public void Stop() => _recorder.Stop();

    internal bool TryEnter() => _recorder.TryEnter();

    /// <summary>Loop thread, after <see cref="TryEnter"/>: the candidate's turn on the frame <paramref name="active"/> just scored.</summary>
    internal void Score(CameraModel active, double activeScore, long activeTicks, double activeThreshold)
    {
        try
        {
            if (active.ByteInput)
            {
                active.ByteInputSpan.CopyTo(Model.ByteInputSpan);
            }
            else
            {
                active.FloatInput.CopyTo(Model.FloatInput);
            }

            _recorder.Active(activeTicks, activeScore >= activeThreshold);
            var start = Stopwatch.GetTimestamp();
            try
            {
                Model.Run();
            }
            catch (Exception ex)
            {
                // The candidate never takes the loop down: its failures are what the shadow period is there to count.
                _recorder.Error(ex);
                return;
            }

            var ticks = Stopwatch.GetTimestamp() - start;
            _recorder.Candidate(ticks, _scorer.Score(default, Model.Output), _threshold);
        }
        finally
        {
            _recorder.Exit();
        }
    }
}
