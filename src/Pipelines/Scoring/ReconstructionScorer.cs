namespace EdgeAgent.Pipelines.Scoring;

/// <summary>
/// The model reconstructs its input (autoencoder, PCA); the score is the mean squared (or absolute) error, and each
/// feature's share of it tells an event which features were off.
/// </summary>
public sealed class ReconstructionScorer : AnomalyScorer
{
    private readonly ReconstructionMetric _metric;
    private readonly double[] _errors;

    public ReconstructionScorer(IReadOnlyList<byte[]> featureNames, ReconstructionMetric metric = ReconstructionMetric.MeanSquared)
    {
        ContributorNames = featureNames;
        _metric = metric;
        _errors = new double[featureNames.Count];
    }

    public override IReadOnlyList<byte[]> ContributorNames { get; }

    /// <summary>Per-feature errors of the last window.</summary>
    public ReadOnlySpan<double> Errors => _errors;

    public override double Score(ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        var n = _errors.Length;
        if (input.Length < n || output.Length < n)
        {
            return double.NaN;
        }

        // One loop per metric, so the per-feature step has no branch.
        double sum = 0;
        var errors = _errors.AsSpan();
        input = input[..n];
        output = output[..n];
        if (_metric == ReconstructionMetric.MeanSquared)
        {
            for (var i = 0; i < errors.Length; i++)
            {
                var d = (double)input[i] - output[i];
                errors[i] = d * d;
                sum += d * d;
            }
        }
        else
        {
            for (var i = 0; i < errors.Length; i++)
            {
                var e = Math.Abs((double)input[i] - output[i]);
                errors[i] = e;
                sum += e;
            }
        }

        return n > 0 ? sum / n : 0;
    }

    public override int TopContributors(Span<int> indices, Span<double> contributions)
    {
        double total = 0;
        foreach (var e in _errors)
        {
            total += e;
        }

        var count = Largest(_errors, indices, contributions);
        for (var i = 0; i < count; i++)
        {
            contributions[i] = total > 0 ? contributions[i] / total : 0;
        }

        return count;
    }
}
