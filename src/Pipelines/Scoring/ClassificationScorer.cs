namespace EdgeAgent.Pipelines.Scoring;

/// <summary>
/// Scores an image classifier's output: softmax (unless the model already outputs probabilities), the top-k classes,
/// and a frame score = the summed probability of the anomalous classes that rank among the top k. Buffers are
/// allocated once; <see cref="Score"/> allocates nothing.
/// </summary>
public sealed class ClassificationScorer
{
    private readonly float[] _probabilities;
    private readonly bool[] _anomalous;
    private readonly ClassScore[] _top;
    private readonly bool _applySoftmax;
    private int _topCount;

    public ClassificationScorer(int classCount, IEnumerable<int> anomalousClasses, int topK = 5, bool applySoftmax = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(topK, 1);
        _probabilities = new float[classCount];
        _anomalous = new bool[classCount];
        foreach (var id in anomalousClasses)
        {
            if ((uint)id >= (uint)classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(anomalousClasses), id, $"the model has classes 0..{classCount - 1}");
            }

            _anomalous[id] = true;
        }

        _top = new ClassScore[Math.Min(topK, classCount)];
        _applySoftmax = applySoftmax;
    }

    /// <summary>The most likely classes of the last frame, most likely first.</summary>
    public ReadOnlySpan<ClassScore> Top => _top.AsSpan(0, _topCount);

    /// <summary>Scores one output (logits, or probabilities when softmax is off); returns the frame score 0..1.</summary>
    public float Score(ReadOnlySpan<float> output)
    {
        if (output.Length != _probabilities.Length)
        {
            throw new ArgumentException($"output has {output.Length} values, expected {_probabilities.Length} classes", nameof(output));
        }

        if (_applySoftmax)
        {
            Softmax(output, _probabilities);
        }
        else
        {
            output.CopyTo(_probabilities);
        }

        SelectTop();
        var score = 0f;
        foreach (var entry in Top)
        {
            if (_anomalous[entry.ClassId])
            {
                score += entry.Probability;
            }
        }

        return Math.Min(score, 1f);
    }

    /// <summary>Numerically stable: subtract the maximum before exponentiating.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        var max = float.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        var sum = 0f;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            probabilities[i] = e;
            sum += e;
        }

        var inverse = 1f / sum;
        for (var i = 0; i < logits.Length; i++)
        {
            probabilities[i] *= inverse;
        }
    }

    /// <summary>Insertion into a k-sized sorted array: k is small, so this beats sorting all classes.</summary>
    private void SelectTop()
    {
        _topCount = 0;
        for (var id = 0; id < _probabilities.Length; id++)
        {
            var p = _probabilities[id];
            if (_topCount == _top.Length && p <= _top[_topCount - 1].Probability)
            {
                continue;
            }

            var position = _topCount < _top.Length ? _topCount++ : _topCount - 1;
            while (position > 0 && _top[position - 1].Probability < p)
            {
                _top[position] = _top[position - 1];
                position--;
            }

            _top[position] = new ClassScore(id, p);
        }
    }
}
