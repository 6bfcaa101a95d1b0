using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// The built-in detector of kind <c>resonance</c>: per feature, an ensemble of ARTime's adaptive-resonance novelty
/// made streaming (<see cref="ResonanceTrack"/>), each member with its own learning period and range margin.
/// ARTime is a chaotic learner: one track's alerts change a lot with a small change of its range or step (measured
/// on the NAB development series: a single track scores 57 to 73 across margins 0.5..2), so no single setting can
/// be trusted on data it was not tuned on. Several members that disagree by chance and agree on what is really novel
/// are the remedy: the score of a window is the sum of each member's latest novelty confidence while it is younger
/// than <c>spanWindows</c>, over the number of members (0..1).
/// Each member starts with an early track (a short learning period) that decides until the member has learned.
/// Output: the largest score of any feature on this window, then one score per feature. Allocates nothing per window.
/// </summary>
public sealed class ResonanceDetector : IWindowModel
{
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly Member[] _members;
    private readonly int _tracks;
    private readonly int _span;
    private long _window;

    public ResonanceDetector(int features, DetectorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        _input = GC.AllocateArray<float>(features, pinned: true);
        _output = GC.AllocateArray<float>(features + 1, pinned: true);
        var tracks = options.EffectiveTracks();
        _tracks = tracks.Count;
        _span = options.SpanWindows;
        _members = new Member[features * _tracks];
        for (var f = 0; f < features; f++)
        {
            for (var t = 0; t < _tracks; t++)
            {
                _members[(f * _tracks) + t] = new Member(tracks[t], options.EarlyLearningSamples, options.Memory);
            }
        }
    }

    public Span<float> Input => _input;

    public ReadOnlySpan<float> Output => _output;

    public void Run()
    {
        _window++;
        var worst = 0.0;
        for (var f = 0; f < _input.Length; f++)
        {
            double value = _input[f];
            var sum = 0.0;
            for (var t = 0; t < _tracks; t++)
            {
                var member = _members[(f * _tracks) + t];
                if (double.IsFinite(value))
                {
                    member.Sample(value, _window);
                }

                if (member.LastNovelty > 0 && _window - member.LastNoveltyWindow < _span)
                {
                    sum += member.LastNovelty;
                }
            }

            var score = sum / _tracks;
            _output[f + 1] = (float)score;
            worst = Math.Max(worst, score);
        }

        _output[0] = (float)worst;
    }

    /// <summary>One ensemble member of one feature: its main track, and the early track that decides until it has learned.</summary>
    private sealed class Member(ResonanceTrackOptions options, int earlyLearningSamples, int memory)
    {
        private readonly ResonanceTrack _main = new(options.LearningSamples, options.RangeMargin, memory);
        private ResonanceTrack? _early = earlyLearningSamples > 0 ? new ResonanceTrack(earlyLearningSamples, options.RangeMargin, memory) : null;

        public double LastNovelty { get; private set; }

        public long LastNoveltyWindow { get; private set; }

        public void Sample(double value, long window)
        {
            var wasReady = _main.Ready;
            var earlyScore = _early is not null && !wasReady ? _early.Sample(value) : 0;
            var score = Math.Max(earlyScore, _main.Sample(value));
            if (!wasReady && _main.Ready)
            {
                // Handed over: the early track stops deciding, and stops costing time.
                _early = null;
            }

            if (score > 0)
            {
                LastNovelty = score;
                LastNoveltyWindow = window;
            }
        }
    }
}
