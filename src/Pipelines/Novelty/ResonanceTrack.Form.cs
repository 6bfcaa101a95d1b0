namespace EdgeAgent.Pipelines.Novelty;

/// <summary>The form of the last points: the running median that small noise snaps to, and the Haar feature.</summary>
internal sealed partial class ResonanceTrack
{
    // Not strictly a running median but close enough (ARTime's own words): a histogram of levels and a pointer.
    private void Median(int level)
    {
        _medianBins[level]++;
        var position = _dsi / 2;
        if (_dsi == 1)
        {
            _medianLevel = level;
        }

        if (_medianLevel > level)
        {
            _below++;
        }
        else if (_medianLevel < level)
        {
            _above++;
        }

        if (position < _above)
        {
            _below += _medianBins[_medianLevel];
            _medianLevel++;
            while (_medianBins[_medianLevel] == 0)
            {
                _medianLevel++;
            }

            _above -= _medianBins[_medianLevel];
        }
        else if (position < _below)
        {
            _above += _medianBins[_medianLevel];
            _medianLevel--;
            while (_medianBins[_medianLevel] == 0)
            {
                _medianLevel--;
            }

            _below -= _medianBins[_medianLevel];
        }
    }

    // The feature: the Haar wavelet of the window's min-max-normalised form, itself normalised, then the levels.
    private void Form()
    {
        var lo = double.PositiveInfinity;
        foreach (var v in _levels)
        {
            lo = Math.Min(lo, v);
        }

        var hi = double.NegativeInfinity;
        for (var k = 0; k < Window; k++)
        {
            _scratch[k] = _levels[k] - lo;
            hi = Math.Max(hi, _scratch[k]);
        }

        if (hi != 0)
        {
            for (var k = 0; k < Window; k++)
            {
                _scratch[k] /= hi;
            }
        }

        Haar(_scratch, _feature.AsSpan(0, Window));
        lo = double.PositiveInfinity;
        for (var k = 0; k < Window; k++)
        {
            lo = Math.Min(lo, _feature[k]);
        }

        hi = double.NegativeInfinity;
        for (var k = 0; k < Window; k++)
        {
            _feature[k] -= lo;
            hi = Math.Max(hi, _feature[k]);
        }

        for (var k = 0; k < Window; k++)
        {
            if (hi != 0)
            {
                _feature[k] /= hi;
            }

            _feature[Window + k] = _levels[k];
        }
    }

    // Full Haar transform in place of a copy: [approximation, coarsest detail, ..., finest details].
    private static void Haar(double[] a, Span<double> output)
    {
        var n = a.Length;
        Span<double> work = stackalloc double[n];
        a.CopyTo(work);
        var m = n;
        while (m > 1)
        {
            var h = m / 2;
            for (var k = 0; k < h; k++)
            {
                var s = (work[2 * k] + work[(2 * k) + 1]) / Math.Sqrt(2);
                var d = (work[2 * k] - work[(2 * k) + 1]) / Math.Sqrt(2);
                output[h + k] = d;
                work[k] = s;
            }

            m = h;
        }

        output[0] = work[0];
    }
}
