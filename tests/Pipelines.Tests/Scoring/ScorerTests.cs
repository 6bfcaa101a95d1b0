using System.Text;
using EdgeAgent.Pipelines.Scoring;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Scoring;

public sealed class ScorerTests
{
    private static byte[][] Names(params string[] names) => [.. names.Select(Encoding.UTF8.GetBytes)];

    [Fact]
    public void Reconstruction_error_and_the_features_that_contributed_most()
    {
        var scorer = new ReconstructionScorer(Names("a", "b", "c", "d"));
        scorer.Score([1, 2, 3, 4], [1, 0, 3, 5]).Should().Be(5.0 / 4);
        var top = new int[3];
        var share = new double[3];
        scorer.TopContributors(top, share).Should().Be(3);
        top.Should().Equal(1, 3, 0);
        share[0].Should().Be(0.8);
        share[1].Should().Be(0.2);
        share[2].Should().Be(0);

        var mae = new ReconstructionScorer(Names("a", "b"), ReconstructionMetric.MeanAbsolute);
        mae.Score([1, -1], [2, 1]).Should().Be(1.5);
        mae.Score([1], [2]).Should().Be(double.NaN, "a model output shorter than the features is not a score");
    }

    [Fact]
    public void Probability_is_the_mass_of_the_anomalous_classes_listed_most_probable_first()
    {
        var scorer = new ProbabilityScorer(["normal", "bearing", "imbalance", "loose"], ["bearing", "loose", "imbalance"]);
        scorer.Score([], [0.4f, 0.1f, 0.2f, 0.3f]).Should().BeApproximately(0.6, 1e-6);
        var top = new int[2];
        var share = new double[2];
        scorer.TopContributors(top, share).Should().Be(2);
        top.Should().Equal(3, 2);
        Encoding.UTF8.GetString(scorer.ContributorNames[top[0]]).Should().Be("loose");
    }

    [Fact]
    public void Output_takes_the_configured_element()
    {
        var scorer = new OutputScorer(1);
        scorer.Score([], [0.1f, 0.75f]).Should().Be(0.75f);
        scorer.Score([], [0.1f]).Should().Be(double.NaN);
        scorer.TopContributors(new int[3], new double[3]).Should().Be(0);
    }

    [Fact]
    public void Scoring_allocates_nothing()
    {
        var scorer = new ReconstructionScorer(Names([.. Enumerable.Range(0, 32).Select(i => $"f{i}")]));
        var input = new float[32];
        var output = new float[32];
        var top = new int[3];
        var share = new double[3];
        scorer.Score(input, output);
        scorer.TopContributors(top, share);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            output[i % 32] = i;
            scorer.Score(input, output);
            scorer.TopContributors(top, share);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
