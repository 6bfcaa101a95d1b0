using System.Text;

namespace EdgeAgent.Pipelines.Scoring;

/// <summary>The model emits class probabilities; the score is the total probability of the anomalous classes, and
/// events list those classes, most probable first.</summary>
public sealed class ProbabilityScorer : AnomalyScorer
{
    private readonly bool[] _anomalous;
    private readonly double[] _probabilities;

    public ProbabilityScorer(IReadOnlyList<string> classes, IReadOnlyList<string> anomalousClasses)
    {
        ContributorNames = [.. classes.Select(Encoding.UTF8.GetBytes)];
        _anomalous = [.. classes.Select(c => anomalousClasses.Contains(c, StringComparer.Ordinal))];
        _probabilities = new double[classes.Count];
    }

    public override IReadOnlyList<byte[]> ContributorNames { get; }

    public override double Score(ReadOnlySpan<float> input, ReadOnlySpan<float> output)
    {
        if (output.Length < _probabilities.Length)
        {
            return double.NaN;
        }

        double score = 0;
        for (var i = 0; i < _probabilities.Length; i++)
        {
            _probabilities[i] = output[i];
            if (_anomalous[i])
            {
                score += output[i];
            }
        }

        return score;
    }

    public override int TopContributors(Span<int> indices, Span<double> contributions) =>
        Largest(_probabilities, indices, contributions, _anomalous);
}
