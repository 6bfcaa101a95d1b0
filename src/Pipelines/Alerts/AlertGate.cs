namespace EdgeAgent.Pipelines.Alerts;

/// <summary>
/// Judges a would-be alert (the score crossed the raise threshold, debounced) against the peaks of the pipeline's
/// recent would-be alerts: once <c>minimum</c> have been seen, it alerts only if its peak reaches the configured
/// quantile of the last <c>history</c> peaks. A fixed threshold cannot be right for every stream: where crossings
/// are rare each one is news, where they are frequent only the strongest are. Every would-be alert is remembered,
/// passed or not, so the bar follows the stream. Allocates nothing per call.
/// </summary>
internal sealed class AlertGate
{
    private readonly double[] _peaks;
    private readonly double[] _sorted;
    private readonly int _minimum;
    private readonly double _quantile;
    private int _count;
    private int _next;

    public AlertGate(AlertGateOptions options)
    {
        _peaks = new double[options.History];
        _sorted = new double[options.History];
        _minimum = options.Minimum;
        _quantile = options.Quantile;
    }

    /// <summary>Would-be alerts the gate held back.</summary>
    public long Held { get; private set; }

    public bool Admit(double peak)
    {
        var admit = true;
        if (_count >= _minimum)
        {
            var recent = _sorted.AsSpan(0, _count);
            _peaks.AsSpan(0, _count).CopyTo(recent);
            recent.Sort();
            admit = peak >= recent[(int)(_quantile * (_count - 1))];
        }

        _peaks[_next] = peak;
        _next = (_next + 1) % _peaks.Length;
        _count = Math.Min(_count + 1, _peaks.Length);
        if (!admit)
        {
            Held++;
        }

        return admit;
    }
}
