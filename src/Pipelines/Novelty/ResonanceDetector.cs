using EdgeAgent.Pipelines.Processing;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// The built-in detector of kind <c>resonance</c>: per feature, ARTime's adaptive-resonance novelty made streaming
/// (<see cref="ResonanceTrack"/>). Two tracks run side by side: an early one with a short learning period decides
/// until the main one (longer learning period, coarser downsampling) has learned, then only the main one decides.
/// The output is the largest anomaly confidence of any feature on this window (0..1; 0 when nothing is novel), then
/// one value per feature. Allocates nothing per window.
/// </summary>
public sealed class ResonanceDetector : IWindowModel
{
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly ResonanceTrack[] _main;
    private readonly ResonanceTrack?[] _early;

    public ResonanceDetector(int features, DetectorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        _input = GC.AllocateArray<float>(features, pinned: true);
        _output = GC.AllocateArray<float>(features + 1, pinned: true);
        _main = new ResonanceTrack[features];
        _early = new ResonanceTrack?[features];
        for (var f = 0; f < features; f++)
        {
            _main[f] = new ResonanceTrack(options.LearningSamples, options.RangeMargin, options.Memory);
            _early[f] = options.EarlyLearningSamples > 0 ? new ResonanceTrack(options.EarlyLearningSamples, options.RangeMargin, options.Memory) : null;
        }
    }

    public Span<float> Input => _input;

    public ReadOnlySpan<float> Output => _output;

    public void Run()
    {
        var worst = 0.0;
        for (var f = 0; f < _input.Length; f++)
        {
            double value = _input[f];
            var score = 0.0;
            if (double.IsFinite(value))
            {
                var early = _early[f];
                var wasReady = _main[f].Ready;
                var earlyScore = early is not null && !wasReady ? early.Sample(value) : 0;
                score = Math.Max(earlyScore, _main[f].Sample(value));
                if (!wasReady && _main[f].Ready)
                {
                    // Handed over: the early track stops deciding, and stops costing time.
                    _early[f] = null;
                }
            }

            _output[f + 1] = (float)score;
            worst = Math.Max(worst, score);
        }

        _output[0] = (float)worst;
    }
}
