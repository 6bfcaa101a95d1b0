using System.Diagnostics;
using System.Runtime.CompilerServices;
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
    private IWindowModel _model;
    private ModelSwap<IWindowModel>? _pendingSwap;
    private ShadowModel? _shadow;
    private string? _lastModelError;
    private long _lastModelErrorTicks;
    private readonly AnomalyScorer _scorer;
    private readonly AnomalyEventPublisher _publisher;
    private readonly WindowData _window;
    private long _scored;
    private long _modelErrors;
    private long _nonFinite;
    private long _runTicks;

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

    public FeaturePipeline Features => _features;

    public WindowCounters Counters => _windower.Counters;

    public AlertStateMachine Alert => _publisher.Alert;

    public double LastScore { get; private set; } = double.NaN;

    /// <summary>The model scoring windows now (changes only on the loop thread, at a swap).</summary>
    public IWindowModel Model => Volatile.Read(ref _model);

    /// <summary>Windows that went through the model (one run each), whichever model it was.</summary>
    public long Scored => Volatile.Read(ref _scored);

    /// <summary>
    /// Model runs that threw. Such a window is counted and not published; the loop goes on, so a model failing
    /// now and then (or an update failing its health watch, which rolls it back) never stops the pipeline.
    /// </summary>
    public long ModelErrors => Volatile.Read(ref _modelErrors);

    /// <summary>The message of the last model run that threw (null when none has).</summary>
    public string? LastModelError => Volatile.Read(ref _lastModelError);

    /// <summary>When the last model run threw (<see cref="Stopwatch"/> ticks).</summary>
    public long LastModelErrorTicks => Volatile.Read(ref _lastModelErrorTicks);

    /// <summary>Windows whose score was NaN or infinite.</summary>
    public long NonFiniteScores => Volatile.Read(ref _nonFinite);

    /// <summary>Total time in the model's Run, in <see cref="Stopwatch"/> ticks (mean latency = this / Scored).</summary>
    public long RunTicks => Volatile.Read(ref _runTicks);

    /// <summary>Queues a model swap taken before the next window; false if another swap is still pending.</summary>
    public bool RequestSwap(ModelSwap<IWindowModel> swap)
    {
        if (swap.Model.Input.Length != _features.Length)
        {
            throw new ArgumentException($"the model takes {swap.Model.Input.Length} input values but the feature pipeline writes {_features.Length}");
        }

        return Interlocked.CompareExchange(ref _pendingSwap, swap, null) is null;
    }

    /// <summary>
    /// Lets a candidate score every following window beside the model (an OTA shadow period); false if another
    /// shadow is attached. The loop picks it up at its next window; nothing the candidate does is published.
    /// </summary>
    public bool AttachShadow(ShadowModel shadow)
    {
        if (shadow.Model.Input.Length != _features.Length)
        {
            throw new ArgumentException($"the model takes {shadow.Model.Input.Length} input values but the feature pipeline writes {_features.Length}");
        }

        return Interlocked.CompareExchange(ref _shadow, shadow, null) is null;
    }

    /// <summary>Ends a shadow: when this returns, the loop no longer runs the candidate (it may be disposed or swapped in).</summary>
    public void DetachShadow(ShadowModel shadow)
    {
        shadow.Stop();
        Interlocked.CompareExchange(ref _shadow, null, shadow);
    }

    /// <summary>Withdraws a swap the loop has not taken yet; false if it was already taken.</summary>
    public bool CancelSwap(ModelSwap<IWindowModel> swap) => Interlocked.CompareExchange(ref _pendingSwap, null, swap) == swap;

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
            if (Volatile.Read(ref _pendingSwap) is not null)
            {
                TakeSwap();
            }

            _features.Write(_window, _model.Input);
            var start = Stopwatch.GetTimestamp();
            windows++;
            if (!TryRun())
            {
                continue;
            }

            var ticks = Stopwatch.GetTimestamp() - start;
            _runTicks += ticks;
            LastScore = _scorer.Score(_model.Input, _model.Output);
            if (!double.IsFinite(LastScore))
            {
                _nonFinite++;
            }

            _publisher.OnWindow(LastScore, _window.StartTicks, _window.EndTicks);
            if (Volatile.Read(ref _shadow) is { } shadow)
            {
                RunShadow(shadow, ticks);
            }
        }

        return windows;
    }

    private bool TryRun()
    {
        _scored++;
        try
        {
            _model.Run();
            return true;
        }
        catch (Exception ex)
        {
            // Counted, not rethrown: one bad run must not end the loop (and with it the sources' data).
            Volatile.Write(ref _lastModelError, ex.Message);
            Volatile.Write(ref _lastModelErrorTicks, Stopwatch.GetTimestamp());
            _modelErrors++;
            return false;
        }
    }

    // After the window is published, so the candidate adds nothing to the event latency.
    private void RunShadow(ShadowModel shadow, long activeTicks)
    {
        if (shadow.TryEnter())
        {
            shadow.Score(_model.Input, LastScore, activeTicks, _publisher.Alert.RaiseThreshold);
        }
        else
        {
            Interlocked.CompareExchange(ref _shadow, null, shadow);
        }
    }

    // Between two windows: the previous window has been scored and published, the next has not started.
    private void TakeSwap()
    {
        var start = Stopwatch.GetTimestamp();
        var swap = Interlocked.Exchange(ref _pendingSwap, null);
        if (swap is null)
        {
            return;
        }

        var previous = _model;
        swap.Apply?.Invoke();
        Volatile.Write(ref _model, swap.Model);
        swap.Complete(previous, Stopwatch.GetTimestamp() - start, _scored);
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
