using EdgeAgent.Pipelines.Preprocessing;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Preprocessing;

public sealed class FftTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(256)]
    public void Matches_a_direct_dft(int n)
    {
        var random = new Random(n);
        var re = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (expectedRe, expectedIm) = Dft(re, im);
        new Fft(n).Forward(re, im);
        for (var k = 0; k < n; k++)
        {
            re[k].Should().BeApproximately(expectedRe[k], 1e-9);
            im[k].Should().BeApproximately(expectedIm[k], 1e-9);
        }
    }

    [Fact]
    public void Rejects_sizes_that_are_not_powers_of_two() =>
        FluentActions.Invoking(() => new Fft(48)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void Transforming_allocates_nothing()
    {
        var fft = new Fft(1024);
        var re = new double[1024];
        var im = new double[1024];
        fft.Forward(re, im);
        var before = GC.GetAllocatedBytesForCurrentThread();
        fft.Forward(re, im);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static (double[] Re, double[] Im) Dft(double[] re, double[] im)
    {
        var n = re.Length;
        var outRe = new double[n];
        var outIm = new double[n];
        for (var k = 0; k < n; k++)
        {
            for (var t = 0; t < n; t++)
            {
                var angle = -2 * Math.PI * k * t / n;
                outRe[k] += (re[t] * Math.Cos(angle)) - (im[t] * Math.Sin(angle));
                outIm[k] += (re[t] * Math.Sin(angle)) + (im[t] * Math.Cos(angle));
            }
        }

        return (outRe, outIm);
    }
}
