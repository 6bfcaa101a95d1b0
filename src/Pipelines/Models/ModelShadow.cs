using System.Diagnostics;

namespace EdgeAgent.Pipelines.Models;

/// <summary>
/// A candidate model scoring live windows or frames beside the active one (an OTA shadow period), whatever the
/// pipeline's kind. After the active model has scored and published, the loop hands the candidate the same input,
/// runs it and scores its output with a scorer of its own against its own threshold. Nothing it computes is
/// published; only counted (<see cref="ShadowRecorder"/>). Attached with <see cref="ModelSlot{TModel}.AttachShadow"/>.
/// </summary>
public abstract class ModelShadow
{
    private protected ModelShadow(double raiseThreshold) => RaiseThreshold = raiseThreshold;

    private protected ShadowRecorder Recorder { get; } = new();

    public double RaiseThreshold { get; }

    /// <summary>A snapshot of the counters (read from another thread: each value is exact, the set is not a transaction).</summary>
    public ShadowStatistics Statistics => Recorder.Statistics;

    /// <summary>The candidate's run times on the windows or frames it shadowed.</summary>
    public RunTimeHistogram CandidateRunTimes => Recorder.CandidateRunTimes;

    /// <summary>The active model's run times on the same windows or frames.</summary>
    public RunTimeHistogram ActiveRunTimes => Recorder.ActiveRunTimes;

    /// <summary>The candidate, whatever its type.</summary>
    public abstract IPipelineModel Candidate { get; }

    /// <summary>
    /// Ends the shadow: waits until the loop is not scoring the candidate (at most one run), after which the loop
    /// never touches it again, so it can be disposed or swapped in. Works while the loop is idle too.
    /// </summary>
    public void Stop() => Recorder.Stop();

    internal bool TryEnter() => Recorder.TryEnter();
}

/// <inheritdoc cref="ModelShadow"/>
public sealed class ModelShadow<TModel> : ModelShadow
    where TModel : class, IPipelineModel
{
    private readonly InputCopy _copy;
    private readonly Func<TModel, double> _score;

    /// <summary>Gives the candidate the input the active model just ran on (copied, or mapped onto the candidate's standardisation).</summary>
    public delegate void InputCopy(TModel active, TModel candidate);

    /// <param name="candidate">The candidate (fit-checked and smoke-tested already).</param>
    /// <param name="copy">Fills the candidate's input from the active model's.</param>
    /// <param name="score">Scores the candidate's output with a scorer of its own (scorers keep per-window scratch state).</param>
    /// <param name="raiseThreshold">The threshold it would alert at (its manifest's, unless alert.raiseThreshold is configured).</param>
    public ModelShadow(TModel candidate, InputCopy copy, Func<TModel, double> score, double raiseThreshold)
        : base(raiseThreshold)
    {
        Model = candidate;
        _copy = copy;
        _score = score;
    }

    public TModel Model { get; }

    public override IPipelineModel Candidate => Model;

    /// <summary>Loop thread, after <see cref="ModelShadow.TryEnter"/>: the candidate's turn on the input <paramref name="active"/> just scored.</summary>
    internal void Score(TModel active, double activeScore, long activeTicks, double activeThreshold)
    {
        try
        {
            _copy(active, Model);
            Recorder.Active(activeTicks, activeScore >= activeThreshold);
            var start = Stopwatch.GetTimestamp();
            try
            {
                Model.Run();
            }
            catch (Exception ex)
            {
                // The candidate never takes the loop down: its failures are what the shadow period is there to count.
                Recorder.Error(ex);
                return;
            }

            Recorder.Candidate(Stopwatch.GetTimestamp() - start, _score(Model), RaiseThreshold);
        }
        finally
        {
            Recorder.Exit();
        }
    }
}
