using EdgeAgent.Pipelines.Calibration;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Calibration;

public sealed class PcaCalibratorTests
{
    [Fact]
    public void Jacobi_decomposes_a_symmetric_matrix()
    {
        double[] a = [4, 1, 2, 1, 3, 0, 2, 0, 5];
        var (values, vectors) = JacobiEigen.Decompose(a, 3);
        values.Should().BeInDescendingOrder();
        values.Sum().Should().BeApproximately(12, 1e-9, "the trace is kept");
        for (var k = 0; k < 3; k++)
        {
            for (var i = 0; i < 3; i++)
            {
                // A v = λ v for each eigenvector (a row of vectors).
                var av = (a[(i * 3) + 0] * vectors[(k * 3) + 0]) + (a[(i * 3) + 1] * vectors[(k * 3) + 1]) + (a[(i * 3) + 2] * vectors[(k * 3) + 2]);
                av.Should().BeApproximately(values[k] * vectors[(k * 3) + i], 1e-9);
            }
        }
    }

    [Fact]
    public void Learns_the_normal_subspace_and_scores_departures_from_it_and_along_it()
    {
        // Two features that move together (y = 2x + noise) and one independent one.
        var random = new Random(1);
        var rows = new List<float[]>();
        for (var i = 0; i < 500; i++)
        {
            var x = random.NextDouble() * 10;
            rows.Add([(float)x, (float)((2 * x) + (random.NextDouble() * 0.1)), (float)(random.NextDouble() - 0.5)]);
        }

        var model = PcaCalibrator.Fit(rows, new CalibrationOptions { VarianceToKeep = 0.95, Quantile = 0.99, Margin = 1.5 });
        model.Features.Should().Be(3);
        model.ComponentCount.Should().Be(2);
        model.ExplainedShare.Should().BeGreaterThan(0.95);
        model.Mean[0].Should().BeApproximately(5, 0.5);
        model.Threshold.Should().BeGreaterThan(0);

        var normal = PcaCalibrator.Scores(model, rows);
        normal.Count(s => s > model.Threshold).Should().BeLessThan(5);

        var scores = PcaCalibrator.Scores(model, [[5, -10, 0], [30, 60, 0], [5, 10, 0]]);
        scores[0].Should().BeGreaterThan(10 * model.Threshold, "breaking the correlation leaves the subspace");
        scores[1].Should().BeGreaterThan(model.Threshold, "far outside the normal range along the subspace is clamped, so it counts too");
        scores[2].Should().BeLessThan(model.Threshold);
    }

    [Fact]
    public void Trimming_keeps_anomalies_hidden_in_the_calibration_data_from_raising_the_threshold()
    {
        // Normal: y follows x. Hidden among them, 5% that break the relation (y = 1 - x).
        var random = new Random(2);
        var rows = new List<float[]>();
        for (var i = 0; i < 200; i++)
        {
            var x = random.NextDouble();
            rows.Add([(float)x, (float)(x + (0.01 * (random.NextDouble() - 0.5)))]);
        }

        for (var i = 0; i < 10; i++)
        {
            var x = random.NextDouble();
            rows.Add([(float)x, (float)(1 - x)]);
        }

        var plain = PcaCalibrator.Fit(rows, new CalibrationOptions { Quantile = 1, Margin = 1.2 });
        var trimmed = PcaCalibrator.Fit(rows, new CalibrationOptions { Quantile = 1, Margin = 1.2, TrimFraction = 0.1 });
        float[] anomaly = [0.3f, 0.7f];
        PcaCalibrator.Scores(plain, [anomaly])[0].Should().BeLessThan(plain.Threshold);
        PcaCalibrator.Scores(trimmed, [anomaly])[0].Should().BeGreaterThan(trimmed.Threshold);
        trimmed.TrainingWindows.Should().Be(189);
    }
}
