using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Preprocessing;

public sealed partial class StatisticsStep
{
    /// <summary>Central moments, extremes and the least-squares slope (per sample) of one channel.</summary>
    private readonly record struct Moments(double Mean, double M2, double M4, double Min, double Max, double MeanSquare, double Slope)
    {
        /// <summary>
        /// One vectorised pass gives mean, variance, extremes and RMS; a second pass only for kurtosis and slope.
        /// The sums are taken about the first sample, so a small variation on a large offset (a temperature of
        /// 60 varying by 0.1) keeps its precision instead of cancelling in sum-of-squares minus squared sum.
        /// Every path adds each vector lane's values in sample order, so all give the same sums to the bit (and the
        /// same extremes in value; only the sign of a zero extreme may differ).
        /// </summary>
        public static Moments Of(ReadOnlySpan<double> x, bool secondPass)
        {
            if (x.IsEmpty)
            {
                return default;
            }

            var n = x.Length;
            var width = Vector<double>.Count;
            if (!Vector.IsHardwareAccelerated || n < width)
            {
                return Finish(x, 0, 0, 0, x[0], x[0], secondPass);
            }

            var i = 0;
            var vShift = new Vector<double>(x[0]);
            Vector<double> vSum = Vector<double>.Zero, vSquares = Vector<double>.Zero;
            Vector<double> vMin = vShift, vMax = vShift;

            // The loop bounds keep every load inside x, so the loads skip the slice and its checks.
            ref readonly var first = ref MemoryMarshal.GetReference(x);

            // Four vectors a step: the sums still take each lane's values one after another, while the extremes,
            // exact in any order, run as four independent chains rather than one.
            Vector<double> vMin1 = vMin, vMin2 = vMin, vMin3 = vMin, vMax1 = vMax, vMax2 = vMax, vMax3 = vMax;
            for (; i <= n - (4 * width); i += 4 * width)
            {
                var v0 = Vector.LoadUnsafe(in first, (nuint)i);
                var v1 = Vector.LoadUnsafe(in first, (nuint)(i + width));
                var v2 = Vector.LoadUnsafe(in first, (nuint)(i + (2 * width)));
                var v3 = Vector.LoadUnsafe(in first, (nuint)(i + (3 * width)));
                var d0 = v0 - vShift;
                var d1 = v1 - vShift;
                var d2 = v2 - vShift;
                var d3 = v3 - vShift;
                vSum += d0;
                vSum += d1;
                vSum += d2;
                vSum += d3;
                vSquares += d0 * d0;
                vSquares += d1 * d1;
                vSquares += d2 * d2;
                vSquares += d3 * d3;
                vMin = Vector.MinNative(vMin, v0);
                vMin1 = Vector.MinNative(vMin1, v1);
                vMin2 = Vector.MinNative(vMin2, v2);
                vMin3 = Vector.MinNative(vMin3, v3);
                vMax = Vector.MaxNative(vMax, v0);
                vMax1 = Vector.MaxNative(vMax1, v1);
                vMax2 = Vector.MaxNative(vMax2, v2);
                vMax3 = Vector.MaxNative(vMax3, v3);
            }

            vMin = Vector.MinNative(Vector.MinNative(vMin, vMin1), Vector.MinNative(vMin2, vMin3));
            vMax = Vector.MaxNative(Vector.MaxNative(vMax, vMax1), Vector.MaxNative(vMax2, vMax3));
            for (; i <= n - width; i += width)
            {
                var v = Vector.LoadUnsafe(in first, (nuint)i);
                var d = v - vShift;
                vSum += d;
                vSquares += d * d;
                vMin = Vector.MinNative(vMin, v);
                vMax = Vector.MaxNative(vMax, v);
            }

            return Finish(x, i, Vector.Sum(vSum), Vector.Sum(vSquares), Lowest(vMin, x[0]), Highest(vMax, x[0]), secondPass);
        }

        /// <summary>Two channels of the same window at once: two sets of independent chains in one loop.</summary>
        public static void Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y, bool secondPass, out Moments mx, out Moments my)
        {
            var n = x.Length;
            var width = Vector<double>.Count;
            if (!Vector.IsHardwareAccelerated || y.Length != n || n < width)
            {
                mx = Of(x, secondPass);
                my = Of(y, secondPass);
                return;
            }

            ref readonly var firstX = ref MemoryMarshal.GetReference(x);
            ref readonly var firstY = ref MemoryMarshal.GetReference(y);
            var shiftX = new Vector<double>(x[0]);
            var shiftY = new Vector<double>(y[0]);
            Vector<double> sumX = Vector<double>.Zero, squaresX = Vector<double>.Zero, minX = shiftX, maxX = shiftX;
            Vector<double> sumY = Vector<double>.Zero, squaresY = Vector<double>.Zero, minY = shiftY, maxY = shiftY;
            var i = 0;
            for (; i <= n - width; i += width)
            {
                var vx = Vector.LoadUnsafe(in firstX, (nuint)i);
                var vy = Vector.LoadUnsafe(in firstY, (nuint)i);
                var dx = vx - shiftX;
                var dy = vy - shiftY;
                sumX += dx;
                sumY += dy;
                squaresX += dx * dx;
                squaresY += dy * dy;
                minX = Vector.MinNative(minX, vx);
                minY = Vector.MinNative(minY, vy);
                maxX = Vector.MaxNative(maxX, vx);
                maxY = Vector.MaxNative(maxY, vy);
            }

            // Both channels' vectors are reduced before the first call: SIMD registers do not survive a call, and
            // a vector needed after one is spilled to the stack inside the loop, which puts a store and a reload
            // into every chain of dependent additions.
            var sx = Vector.Sum(sumX);
            var qx = Vector.Sum(squaresX);
            var lx = Lowest(minX, x[0]);
            var hx = Highest(maxX, x[0]);
            var sy = Vector.Sum(sumY);
            var qy = Vector.Sum(squaresY);
            var ly = Lowest(minY, y[0]);
            var hy = Highest(maxY, y[0]);
            mx = Finish(x, i, sx, qx, lx, hx, secondPass);
            my = Finish(y, i, sy, qy, ly, hy, secondPass);
        }

        private static double Lowest(Vector<double> lanes, double min)
        {
            for (var k = 0; k < Vector<double>.Count; k++)
            {
                min = Lower(min, lanes[k]);
            }

            return min;
        }

        private static double Highest(Vector<double> lanes, double max)
        {
            for (var k = 0; k < Vector<double>.Count; k++)
            {
                max = Higher(max, lanes[k]);
            }

            return max;
        }

        // The one-instruction min and max (minpd/maxpd), here and in the vector loops (MinNative, MaxNative). A window's
        // values are finite (the aligner turns away NaN and infinities before they reach the ring), so the IEEE
        // minimum/maximum of Math.Min and Vector.Min, several dependent instructions each, buy only two things here:
        // NaN propagation, which cannot occur, and -0 below +0, which changes a zero's sign and never its value
        // (StatisticsStepTests: value-equal to the IEEE result; a score cannot tell the two zeros apart).
        private static double Lower(double a, double b) => a < b ? a : b;

        private static double Higher(double a, double b) => a > b ? a : b;

        /// <summary>The samples from <paramref name="i"/> on one at a time, then the moments from the sums.</summary>
        private static Moments Finish(ReadOnlySpan<double> x, int i, double sum, double squares, double min, double max, bool secondPass)
        {
            var n = x.Length;
            var shift = x[0];
            for (; i < n; i++)
            {
                var d = x[i] - shift;
                sum += d;
                squares += d * d;
                min = Lower(min, x[i]);
                max = Higher(max, x[i]);
            }

            var meanShifted = sum / n;
            var mean = shift + meanShifted;
            var m2 = Math.Max(0, (squares / n) - (meanShifted * meanShifted));
            var meanSquare = m2 + (mean * mean);
            if (!secondPass)
            {
                return new Moments(mean, m2, 0, min, max, meanSquare, 0);
            }

            double m4 = 0, sxy = 0;
            var centre = (n - 1) / 2.0;
            for (var k = 0; k < n; k++)
            {
                var d = x[k] - mean;
                var d2 = d * d;
                m4 += d2 * d2;
                sxy += (k - centre) * d;
            }

            var sxx = n * ((n * (double)n) - 1) / 12.0;
            return new Moments(mean, m2, m4 / n, min, max, meanSquare, sxx > 0 ? sxy / sxx : 0);
        }
    }
}
