namespace EdgeAgent.Pipelines.Novelty;

/// <summary>Deciding novelty: the initial vigilance, the resonance test of each feature, its confidence, and how vigilance follows the matches.</summary>
internal sealed partial class ResonanceTrack
{
    // The initial vigilance: learn the learning period's features from the most typical to the least (by summed
    // cosine similarity) at vigilance 0.8 and take the mean match of the second half.
    private double InitialRho()
    {
        var first = Window - 1;
        var n = _trend - first;
        Array.Clear(_similaritySums);
        for (var a = 0; a < n; a++)
        {
            _similaritySums[a] += 1;
            for (var b = 0; b < a; b++)
            {
                var s = Cosine(Row(first + a), Row(first + b));
                _similaritySums[a] += s;
                _similaritySums[b] += s;
            }
        }

        for (var k = 0; k < n; k++)
        {
            _order[k] = k;
        }

        // Stable sort by summed similarity, ascending (an insertion sort: once, over a few hundred rows).
        for (var k = 1; k < n; k++)
        {
            var item = _order[k];
            var j = k - 1;
            while (j >= 0 && _similaritySums[_order[j]] > _similaritySums[item])
            {
                _order[j + 1] = _order[j];
                j--;
            }

            _order[j + 1] = item;
        }

        _initMemory.Clear();
        _initMemory.LowerVigilance = InitialVigilance;
        _initMemory.UpperVigilance = InitialVigilance;
        var sum = 0.0;
        var count = 0;
        var from = (_trend / 2) - 1;
        for (var k = 0; k < n; k++)
        {
            _initMemory.Train(Row(first + _order[k]));
            if (k >= from)
            {
                sum += _initMemory.LastMatch;
                count++;
            }
        }

        return count > 0 ? sum / count : InitialVigilance;
    }

    private ReadOnlySpan<double> Row(int k) => _trendFeatures.AsSpan(k * 2 * Window, 2 * Window);

    private static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double na = 0, nb = 0, dot = 0;
        for (var k = 0; k < a.Length; k++)
        {
            na += a[k] * a[k];
            nb += b[k] * b[k];
            dot += a[k] * b[k];
        }

        na = Math.Sqrt(na);
        nb = Math.Sqrt(nb);
        return na == 0 ? 1 - nb : nb == 0 ? 1 - na : dot / (na * nb);
    }

    private double Detect(ReadOnlySpan<double> f, long i)
    {
        var updateAfterAnomaly = i - _lastAnomaly == _mask;
        var updateForTrend = i - _lastVigilanceUpdate >= _trend / 2;
        var maskAfterAnomaly = i - _lastAnomaly <= _mask;
        if (i > _trend + _mask && _maskAfterCategory && _noNewCategory >= _mask)
        {
            _maskAfterCategory = false;
        }

        int category;
        if (i < Window)
        {
            _memory.Train(f, learning: false);
            category = -1;
        }
        else
        {
            category = _memory.Train(f);
        }

        _noNewCategory = category == -1 ? 0 : _noNewCategory + 1;
        var match = _memory.LastMatch;
        var endMatch = _memory.LastEndMatch;
        _matchCount++;
        _matchMean += (match - _matchMean) / _matchCount;
        Shift(_similarity, match);
        Shift(_similarityDiff, _memory.UpperVigilance - match);
        if (i - _lastAnomaly < _mask && _anomalyCount > 0 && match < LastAnomalySim())
        {
            SetLastAnomalySim(match);
        }

        var masking = _maskAfterCategory || maskAfterAnomaly;
        var belowLast = match < _lastAnomalySim * (maskAfterAnomaly ? 0.90 : 0.70);
        var anomaly = 0.0;
        if (i > _trend && category == -1 && (!masking || belowLast))
        {
            anomaly = Confidence(match, endMatch);
            AddAnomalySim(match);
            _lastAnomalySim = match;
            _lastAnomaly = i;
        }

        _maskAfterCategory = category == -1 || _maskAfterCategory;
        if (i > _trend && (updateAfterAnomaly || updateForTrend))
        {
            UpdateVigilance(i);
        }

        return anomaly;
    }

    private void UpdateVigilance(long i)
    {
        var minimum = double.PositiveInfinity;
        foreach (var s in _similarity)
        {
            minimum = Math.Min(minimum, s);
        }

        var upper = Math.Min(0.97, _matchMean);
        var previous = _memory.LowerVigilance;
        double lower;
        if (previous <= minimum)
        {
            lower = previous + ((minimum - previous) * 0.19);
        }
        else
        {
            var decrease = 0.0;
            if (i > _trend * 2)
            {
                var sum = 0.0;
                var count = 0;
                foreach (var d in _similarityDiff)
                {
                    if (d > 0.05)
                    {
                        sum += Math.Min(0.37, d);
                        count++;
                    }
                }

                decrease = count > 0 ? sum / count : 0;
            }

            decrease = Math.Max(0.01, decrease);
            lower = previous - (decrease / 2);
            if (_anomalyCount > 0)
            {
                lower = Math.Max(_anomalySimSum / _anomalyCount, lower);
            }
        }

        _memory.LowerVigilance = Math.Min(upper, lower);
        _memory.UpperVigilance = upper;
        _lastVigilanceUpdate = i;
        _maskAfterCategory = true;
    }

    private double Confidence(double featureSim, double energySim)
    {
        featureSim = Math.Min(0.999, featureSim);
        var ub = ((1 - featureSim) - (1 - _memory.UpperVigilance)) / (1 - featureSim);
        var lb = ((1 - featureSim) - (1 - _memory.LowerVigilance)) / (1 - featureSim);
        return Math.Min(1.0, (ub * 0.35) + (lb * 0.65) + ((1 - energySim) * 1.5));
    }
}
