using EdgeAgent.Pipelines.Scoring;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Scoring;

public sealed class ClassificationScorerTests
{
    [Fact]
    public void Softmax_is_stable_for_large_logits_and_sums_to_one()
    {
        var probabilities = new float[3];

        ClassificationScorer.Softmax([1000f, 1000f, 999f], probabilities);

        probabilities.Sum().Should().BeApproximately(1f, 1e-6f);
        probabilities[0].Should().BeApproximately(1f / (2f + MathF.Exp(-1f)), 1e-6f);
    }

    [Fact]
    public void Top_k_is_ordered_and_the_score_sums_anomalous_classes_among_them()
    {
        var scorer = new ClassificationScorer(5, anomalousClasses: [1, 4], topK: 2, applySoftmax: false);

        var score = scorer.Score([0.05f, 0.30f, 0.10f, 0.40f, 0.15f]);

        scorer.Top.ToArray().Should().Equal(new ClassScore(3, 0.40f), new ClassScore(1, 0.30f));
        score.Should().BeApproximately(0.30f, 1e-6f, "class 4 is anomalous but not in the top 2");
        new ClassificationScorer(5, [1, 4], topK: 3, applySoftmax: false).Score([0.05f, 0.30f, 0.10f, 0.40f, 0.15f])
            .Should().BeApproximately(0.45f, 1e-6f);
    }

    [Fact]
    public void Logits_go_through_softmax_and_scoring_allocates_nothing()
    {
        var scorer = new ClassificationScorer(1000, anomalousClasses: [7], topK: 5);
        var logits = new float[1000];
        logits[7] = 10f;
        scorer.Score(logits);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var score = 0f;
        for (var i = 0; i < 50; i++)
        {
            score = scorer.Score(logits);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        var expected = MathF.Exp(10f) / (MathF.Exp(10f) + 999f);
        score.Should().BeApproximately(expected, 1e-4f);
        scorer.Top[0].ClassId.Should().Be(7);
        scorer.Top.Length.Should().Be(5);
    }

    [Fact]
    public void Unknown_anomalous_class_is_refused()
    {
        FluentActions.Invoking(() => new ClassificationScorer(3, [3])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0..2*");
    }
}
