namespace EdgeAgent.Pipelines.Scoring;

/// <summary>The model emits the score itself (e.g. an isolation-forest or a classifier's anomaly logit).</summary>
public sealed class OutputScorer : AnomalyScorer
{
    private readonly int _index;

    public OutputScorer(int index)
    {
        _index = index;
    }

    public override IReadOnlyList<byte[]> ContributorNames => [];

    public override double Score(ReadOnlySpan<float> input, ReadOnlySpan<float> output) =>
        (uint)_index < (uint)output.Length ? output[_index] : double.NaN;

    public override int TopContributors(Span<int> indices, Span<double> contributions) => 0;
}
