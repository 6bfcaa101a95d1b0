namespace EdgeAgent.Pipelines.Sources;

/// <summary>A tiny seeded generator whose sequence never changes between runtimes (System.Random makes no such
/// promise), so simulated data and tests are reproducible.</summary>
internal struct SplitMix
{
    private ulong _state;
    private double _spare;
    private bool _hasSpare;

    public SplitMix(int seed)
    {
        _state = (ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
        _spare = 0;
        _hasSpare = false;
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1].</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 1) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box-Muller, both values used).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        var radius = Math.Sqrt(-2 * Math.Log(NextDouble()));
        var angle = 2 * Math.PI * NextDouble();
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }
}
