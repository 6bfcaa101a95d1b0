using EdgeAgent.Pipelines.Scoring;

namespace EdgeAgent.Pipelines.Calibration;

/// <summary>
/// Learns a <see cref="BaselineModel"/> from the features of normal windows: standardisation, a PCA subspace from
/// the covariance's eigenvectors, the normal coefficient range, and a threshold from the distribution of the normal
/// windows' reconstruction errors.
/// </summary>
public static class PcaCalibrator
{
    /// <summary>The lowest threshold calibration sets: a threshold here means the normal windows reconstruct exactly.</summary>
    public const double ThresholdFloor = 1e-6;

    /// <param name="rows">Feature vectors of normal windows (unstandardised), all the same length.</param>
    public static BaselineModel Fit(IReadOnlyList<float[]> rows, CalibrationOptions options)
    {
        var model = FitOnce(rows, options);
        if (options.TrimFraction <= 0)
        {
            return model;
        }

        // Refit without the windows the first fit reconstructs worst: anomalies hidden in "normal" data would
        // otherwise raise the threshold above themselves.
        var scores = Scores(model, rows);
        var keep = Math.Max(3, (int)Math.Round(rows.Count * (1 - options.TrimFraction)));
        var kept = Enumerable.Range(0, rows.Count).OrderBy(i => scores[i]).Take(keep).Order().Select(i => rows[i]).ToList();
        return FitOnce(kept, options);
    }

    private static BaselineModel FitOnce(IReadOnlyList<float[]> rows, CalibrationOptions options)
    {
        if (rows.Count < 3)
        {
            throw new ArgumentException($"calibration needs at least 3 normal windows, got {rows.Count}");
        }

        var d = rows[0].Length;
        var n = rows.Count;
        var mean = new double[d];
        var std = new double[d];
        foreach (var row in rows)
        {
            for (var i = 0; i < d; i++)
            {
                mean[i] += row[i];
            }
        }

        for (var i = 0; i < d; i++)
        {
            mean[i] /= n;
        }

        foreach (var row in rows)
        {
            for (var i = 0; i < d; i++)
            {
                std[i] += (row[i] - mean[i]) * (row[i] - mean[i]);
            }
        }

        for (var i = 0; i < d; i++)
        {
            // A feature that never moved in normal data still gets a finite scale, so a change in it scores high
            // without dividing by zero.
            std[i] = Math.Max(Math.Sqrt(std[i] / (n - 1)), 1e-6 + (1e-4 * Math.Abs(mean[i])));
        }

        var z = new double[n * d];
        for (var r = 0; r < n; r++)
        {
            for (var i = 0; i < d; i++)
            {
                z[(r * d) + i] = (rows[r][i] - mean[i]) / std[i];
            }
        }

        var covariance = new double[d * d];
        for (var r = 0; r < n; r++)
        {
            for (var i = 0; i < d; i++)
            {
                var zi = z[(r * d) + i];
                for (var j = i; j < d; j++)
                {
                    covariance[(i * d) + j] += zi * z[(r * d) + j];
                }
            }
        }

        for (var i = 0; i < d; i++)
        {
            for (var j = i; j < d; j++)
            {
                covariance[(i * d) + j] /= n - 1;
                covariance[(j * d) + i] = covariance[(i * d) + j];
            }
        }

        var (values, vectors) = JacobiEigen.Decompose(covariance, d);
        var total = values.Sum(v => Math.Max(v, 0));
        var k = 0;
        double kept = 0;
        while (k < d - 1 && kept < options.VarianceToKeep * total)
        {
            kept += Math.Max(values[k], 0);
            k++;
        }

        k = Math.Max(1, Math.Min(k, d - 1));
        var components = vectors.AsSpan(0, k * d).ToArray();

        var coefficientMin = new double[k];
        var coefficientMax = new double[k];
        Array.Fill(coefficientMin, double.PositiveInfinity);
        Array.Fill(coefficientMax, double.NegativeInfinity);
        for (var r = 0; r < n; r++)
        {
            for (var c = 0; c < k; c++)
            {
                double sum = 0;
                for (var i = 0; i < d; i++)
                {
                    sum += components[(c * d) + i] * z[(r * d) + i];
                }

                coefficientMin[c] = Math.Min(coefficientMin[c], sum);
                coefficientMax[c] = Math.Max(coefficientMax[c], sum);
            }
        }

        for (var c = 0; c < k; c++)
        {
            var slack = options.CoefficientSlack * (coefficientMax[c] - coefficientMin[c]);
            coefficientMin[c] -= slack;
            coefficientMax[c] += slack;
        }

        var model = new BaselineModel(d, mean, std, k, components, coefficientMin, coefficientMax, values, double.NaN, n);
        var scores = Scores(model, rows);
        Array.Sort(scores);
        var quantile = scores[Math.Clamp((int)Math.Ceiling(options.Quantile * n) - 1, 0, n - 1)];

        // A perfectly regular signal can reconstruct with ~0 error; keep the threshold above float rounding.
        return model with { Threshold = Math.Max(quantile * options.Margin, ThresholdFloor) };
    }

    /// <summary>The reconstruction-error score of each row under <paramref name="model"/>, as the pipeline computes it.</summary>
    public static double[] Scores(BaselineModel model, IReadOnlyList<float[]> rows)
    {
        var d = model.Features;
        var reconstructor = new BaselineReconstructor(model);
        var scorer = new ReconstructionScorer([.. Enumerable.Range(0, d).Select(_ => Array.Empty<byte>())]);
        var standardized = new float[d];
        var output = new float[d];
        var scores = new double[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            Standardize(model, rows[r], standardized);
            reconstructor.Reconstruct(standardized, output);
            scores[r] = scorer.Score(standardized, output);
        }

        return scores;
    }

    public static void Standardize(BaselineModel model, ReadOnlySpan<float> features, Span<float> standardized)
    {
        for (var i = 0; i < model.Features; i++)
        {
            standardized[i] = (float)((features[i] - model.Mean[i]) / model.Std[i]);
        }
    }
}
