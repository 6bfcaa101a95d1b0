namespace EdgeAgent.Pipelines.Calibration;

/// <summary>
/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: slow for big matrices, but exact
/// to rounding, dependency-free and unconditionally stable for the few dozen features a pipeline has.
/// </summary>
public static class JacobiEigen
{
    /// <summary>Returns eigenvalues (descending) and the matching unit eigenvectors as rows of a d×d row-major array.</summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] symmetric, int d, int maxSweeps = 100)
    {
        var a = (double[])symmetric.Clone();
        var v = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            v[(i * d) + i] = 1;
        }

        for (var sweep = 0; sweep < maxSweeps; sweep++)
        {
            double off = 0, diagonal = 0;
            for (var p = 0; p < d; p++)
            {
                diagonal += a[(p * d) + p] * a[(p * d) + p];
                for (var q = p + 1; q < d; q++)
                {
                    off += a[(p * d) + q] * a[(p * d) + q];
                }
            }

            if (off <= 1e-30 * Math.Max(diagonal, 1e-300))
            {
                break;
            }

            for (var p = 0; p < d - 1; p++)
            {
                for (var q = p + 1; q < d; q++)
                {
                    var apq = a[(p * d) + q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }

                    var theta = (a[(q * d) + q] - a[(p * d) + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    var c = 1 / Math.Sqrt((t * t) + 1);
                    var s = t * c;
                    for (var k = 0; k < d; k++)
                    {
                        // A' = Jᵀ A J, applied to columns p, q then rows p, q.
                        var akp = a[(k * d) + p];
                        var akq = a[(k * d) + q];
                        a[(k * d) + p] = (c * akp) - (s * akq);
                        a[(k * d) + q] = (s * akp) + (c * akq);
                    }

                    for (var k = 0; k < d; k++)
                    {
                        var apk = a[(p * d) + k];
                        var aqk = a[(q * d) + k];
                        a[(p * d) + k] = (c * apk) - (s * aqk);
                        a[(q * d) + k] = (s * apk) + (c * aqk);
                    }

                    for (var k = 0; k < d; k++)
                    {
                        var vkp = v[(k * d) + p];
                        var vkq = v[(k * d) + q];
                        v[(k * d) + p] = (c * vkp) - (s * vkq);
                        v[(k * d) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        // Columns of v are the eigenvectors; return them as rows, sorted by eigenvalue.
        var order = Enumerable.Range(0, d).OrderByDescending(i => a[(i * d) + i]).ToArray();
        var values = new double[d];
        var vectors = new double[d * d];
        for (var r = 0; r < d; r++)
        {
            var i = order[r];
            values[r] = a[(i * d) + i];
            for (var k = 0; k < d; k++)
            {
                vectors[(r * d) + k] = v[(k * d) + i];
            }
        }

        return (values, vectors);
    }
}
