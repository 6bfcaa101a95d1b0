using System.Diagnostics;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Processing;

/// <summary>
/// A candidate model scoring live windows beside the active one (an OTA shadow period). After the active model has
/// scored and published a window, the loop hands the same features to the candidate: they are copied into its
/// pinned input, re-standardised with the candidate's own mean/std when it brings other ones, run, scored by a
/// scorer of its own and compared with its own threshold. Nothing it computes is published; only counted (a
/// <see cref="ShadowRecorder"/>): windows, failed runs, NaN scores, would-be alert windows of both models, and both
/// models' run times on the same windows.
/// Allocates nothing per window. Attached with <see cref="SensorPipeline.AttachShadow"/>.
/// </summary>
public sealed class ShadowModel
{
    private readonly IWindowModel _model;
    private readonly AnomalyScorer _scorer;
    private readonly double _threshold;
    private readonly float[]? _scale;
    private readonly float[]? _offset;
    private readonly ShadowRecorder _recorder = new();

    /// <param name="model">The candidate (smoke-tested already; its input length fits the features).</param>
    /// <param name="scorer">A scorer of its own: scorers keep per-window scratch state.</param>
    /// <param name="raiseThreshold">The threshold it would alert at (its manifest's, unless alert.raiseThreshold is configured).</param>
    /// <param name="features">The live feature pipeline (its standardisation is the active model's).</param>
    /// <param name="manifest">The candidate's manifest; when both it and the pipeline standardise, the features are mapped onto its mean/std.</param>
    public ShadowModel(IWindowModel model, AnomalyScorer scorer, double raiseThreshold, FeaturePipeline features, SensorModelManifest? manifest)
    {
        _model = model;
        _scorer = scorer;
        _threshold = raiseThreshold;
        if (features.Standardization is { Expected: > 0 } active && manifest is not null && manifest.Mean.Count == active.Expected)
        {
            // x_active = (raw - m_a) / s_a, x_candidate = (raw - m_c) / s_c  ⇒  x_candidate = x_active · s_a/s_c + (m_a - m_c)/s_c.
            var scale = GC.AllocateArray<float>(model.Input.Length, pinned: true);
            var offset = GC.AllocateArray<float>(model.Input.Length, pinned: true);
            scale.AsSpan().Fill(1);
            var identity = true;
            for (var i = 0; i < active.Expected; i++)
            {
                var activeStd = 1.0 / active.InverseStd[i];
                scale[i] = (float)(activeStd / manifest.Std[i]);
                offset[i] = (float)((active.Mean[i] - manifest.Mean[i]) / manifest.Std[i]);
                identity &= Math.Abs(scale[i] - 1) < 1e-6 && Math.Abs(offset[i]) < 1e-6;
            }

            // The same standardisation (a retrained model on the same calibration data): the features as they are.
            (_scale, _offset) = identity ? (null, null) : (scale, offset);
        }
    }

    public IWindowModel Model => _model;

    public double RaiseThreshold => _threshold;

    /// <summary>The candidate's run times on the windows it shadowed.</summary>
    public RunTimeHistogram CandidateRunTimes => _recorder.CandidateRunTimes;

    /// <summary>The active model's run times on the same windows.</summary>
    public RunTimeHistogram ActiveRunTimes => _recorder.ActiveRunTimes;

    /// <summary>A snapshot of the counters (read from another thread: each value is exact, the set is not a transaction).</summary>
    public ShadowStatistics Statistics => _recorder.Statistics;

    /// <summary>
    /// Ends the shadow: waits until the loop is not inside <see cref="Score"/> (at most one candidate run), after
    /// which the loop never touches the candidate again, so it can be disposed or swapped in. Works while the loop
    /// is idle too.
    /// </summary>
    public void Stop() => _recorder.Stop();

    /// <summary>Loop thread: claims the candidate for one window; false once <see cref="Stop"/> was called.</summary>
    internal bool TryEnter() => _recorder.TryEnter();

    /// <summary>Loop thread, after <see cref="TryEnter"/>: the candidate's turn on the window the active model just scored.</summary>
    internal void Score(ReadOnlySpan<float> activeInput, double activeScore, long activeTicks, double activeThreshold)
    {
        try
        {
            var input = _model.Input;
            if (_scale is null)
            {
                activeInput.CopyTo(input);
            }
            else
            {
                for (var i = 0; i < input.Length; i++)
                {
                    input[i] = (activeInput[i] * _scale[i]) + _offset![i];
                }
            }

            _recorder.Active(activeTicks, activeScore >= activeThreshold);
            var start = Stopwatch.GetTimestamp();
            try
            {
                _model.Run();
            }
            catch (Exception ex)
            {
                // The candidate never takes the loop down: its failures are what the shadow period is there to count.
                _recorder.Error(ex);
                return;
            }

            var ticks = Stopwatch.GetTimestamp() - start;
            _recorder.Candidate(ticks, _scorer.Score(input, _model.Output), _threshold);
        }
        finally
        {
            _recorder.Exit();
        }
    }
}
