namespace EdgeAgent.Pipelines.Alerts;

/// <summary>
/// Per-pipeline alert logic over window scores: hysteresis (raise at or above one level, clear below a lower one),
/// debounce (N windows in a row to raise, M to clear), a cooldown after each alert, and severity by peak score.
/// Time is the windows' sample time, so replays behave exactly like live runs.
/// </summary>
public sealed class AlertStateMachine
{
    private readonly int _raiseWindows;
    private readonly int _clearWindows;
    private readonly long _cooldownTicks;
    private readonly double[] _severityLevels;
    private int _above;
    private int _below;
    private long _streakStart;
    private double _streakPeak;
    private long _lastEnd = long.MinValue;
    private readonly int _cooldownWindows;
    private readonly long _maxDurationTicks;
    private readonly ScoreLikelihood? _likelihood;
    private readonly AlertGate? _gate;
    private long _windows;
    private long _lastEndWindow = long.MinValue;
    private bool _armed = true;

    private readonly AlertOptions _options;
    private readonly double[] _severityMultiples;

    public AlertStateMachine(AlertOptions options, double? modelThreshold)
    {
        _options = options;
        _likelihood = options.Adaptive.Enabled ? new ScoreLikelihood(options.Adaptive) : null;
        _gate = options.Gate.Enabled ? new AlertGate(options.Gate) : null;
        _cooldownWindows = options.CooldownWindows;
        _maxDurationTicks = (long)(options.MaxDurationSeconds * TimeSpan.TicksPerSecond);

        // Adaptive scores are in standard deviations: a manifest threshold (raw scale) does not apply to them.
        RaiseThreshold = options.RaiseThreshold ?? (_likelihood is not null ? AdaptiveOptions.DefaultRaiseThreshold : modelThreshold)
            ?? throw new ArgumentException("no raise threshold: set alert.raiseThreshold or use a model whose manifest has one");
        ClearThreshold = options.ClearThreshold ?? (0.8 * RaiseThreshold);
        _raiseWindows = options.RaiseWindows;
        _clearWindows = options.ClearWindows;
        _cooldownTicks = (long)(options.CooldownSeconds * TimeSpan.TicksPerSecond);
        var severities = options.EffectiveSeverities().OrderBy(s => s.AtThresholdMultiple).ToArray();
        SeverityNames = [.. severities.Select(s => s.Name)];
        _severityMultiples = [.. severities.Select(s => s.AtThresholdMultiple)];
        _severityLevels = [.. _severityMultiples.Select(m => m * RaiseThreshold)];
    }

    public double RaiseThreshold { get; private set; }

    public double ClearThreshold { get; private set; }

    /// <summary>
    /// A new model (an OTA swap or a rollback) brings its own calibrated threshold; configured thresholds still win.
    /// Call on the loop thread, between windows.
    /// </summary>
    public void UseModelThreshold(double modelThreshold)
    {
        if (_options.RaiseThreshold is not null || _likelihood is not null)
        {
            return;
        }

        RaiseThreshold = modelThreshold;
        ClearThreshold = _options.ClearThreshold ?? (0.8 * RaiseThreshold);
        for (var i = 0; i < _severityLevels.Length; i++)
        {
            _severityLevels[i] = _severityMultiples[i] * RaiseThreshold;
        }
    }

    public IReadOnlyList<string> SeverityNames { get; }

    public bool Active { get; private set; }

    /// <summary>Identifies the current (or last) alert in its start, update and end events.</summary>
    public Guid AlertId { get; private set; }

    /// <summary>Start of the first window of the streak that raised the current alert.</summary>
    public long StartTicks { get; private set; }

    /// <summary>When the current (or last) alert was raised (end of the raising window).</summary>
    public long RaisedTicks { get; private set; }

    public long EndTicks { get; private set; }

    public double PeakScore { get; private set; }

    /// <summary>Index into <see cref="SeverityNames"/> for the peak so far; -1 below every level.</summary>
    public int Severity { get; private set; } = -1;

    /// <summary>Windows whose score was NaN (a model output that does not fit); they change nothing.</summary>
    public long InvalidScores { get; private set; }

    /// <summary>Would-be alerts the gate held back (alert.gate).</summary>
    public long GatedAlerts => _gate?.Held ?? 0;

    /// <summary>Alerts ended because they reached alert.maxDurationSeconds.</summary>
    public long ExpiredAlerts { get; private set; }

    /// <summary>The score the thresholds were last compared with: the raw score, or with the adaptive layer how unusual it is.</summary>
    public double LastJudged { get; private set; } = double.NaN;

    public AlertTransition Update(double score, long windowStartTicks, long windowEndTicks)
    {
        if (double.IsNaN(score))
        {
            InvalidScores++;
            return AlertTransition.None;
        }

        _windows++;
        if (_likelihood is not null)
        {
            score = _likelihood.Judge(score);
        }

        LastJudged = score;
        if (!Active)
        {
            if (score < RaiseThreshold)
            {
                _above = 0;
                _armed |= score < ClearThreshold;
                return AlertTransition.None;
            }

            if (!_armed || (_lastEndWindow != long.MinValue && _windows - _lastEndWindow <= _cooldownWindows))
            {
                // Still the alert that expired (re-armed by a normal window), or within the suppression period.
                _above = 0;
                return AlertTransition.None;
            }

            if (_above++ == 0)
            {
                _streakStart = windowStartTicks;
                _streakPeak = score;
            }

            _streakPeak = Math.Max(_streakPeak, score);
            if (_above < _raiseWindows || (_lastEnd != long.MinValue && windowEndTicks - _lastEnd < _cooldownTicks))
            {
                return AlertTransition.None;
            }

            if (_gate is not null && !_gate.Admit(_streakPeak))
            {
                // Held back: this crossing is not news for this stream. The next would-be alert needs a normal window first.
                _above = 0;
                _armed = false;
                return AlertTransition.None;
            }

            Active = true;
            AlertId = Guid.NewGuid();
            StartTicks = _streakStart;
            RaisedTicks = windowEndTicks;
            PeakScore = _streakPeak;
            Severity = SeverityOf(PeakScore);
            _below = 0;
            _above = 0;
            return AlertTransition.Started;
        }

        if (score > PeakScore)
        {
            PeakScore = score;
            Severity = SeverityOf(score);
        }

        _below = score < ClearThreshold ? _below + 1 : 0;
        var expired = _maxDurationTicks > 0 && windowEndTicks - RaisedTicks >= _maxDurationTicks;
        if (_below < _clearWindows && !expired)
        {
            return AlertTransition.None;
        }

        if (expired && _below < _clearWindows)
        {
            // What has lasted this long is the new normal, or needs a person, not an alert: end it, and raise again
            // only after the score has been normal once.
            ExpiredAlerts++;
            _armed = false;
        }

        Active = false;
        _lastEndWindow = _windows;
        EndTicks = windowEndTicks;
        _lastEnd = windowEndTicks;
        _below = 0;
        return AlertTransition.Ended;
    }

    private int SeverityOf(double score)
    {
        var severity = -1;
        for (var i = 0; i < _severityLevels.Length; i++)
        {
            if (score >= _severityLevels[i])
            {
                severity = i;
            }
        }

        return severity;
    }
}
