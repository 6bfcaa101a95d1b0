using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeAgent.Pipelines.Novelty;

/// <summary>
/// A dual-vigilance fuzzy ART memory (after ARTime's AdaptiveResonanceCompact.jl): categories are complement-coded
/// boxes; a feature vector resonates with the categories whose match is at least the upper vigilance (they learn it),
/// else founds a new category joined to the best one when that match is at least the lower vigilance, else founds a
/// category of its own (a novelty: <see cref="Train"/> returns -1). Fixed capacity; when full, the oldest category
/// is recycled. Allocates nothing per call.
/// </summary>
internal sealed class ResonanceMemory
{
    private readonly int _dim;
    private readonly int _width;
    private readonly int _capacity;
    private readonly float[] _weights;
    private readonly float[] _norms;
    private readonly int[] _labels;
    private readonly float[] _x;
    private int _count;
    private int _next;
    private int _labelCount;

    public ResonanceMemory(int dim, int capacity)
    {
        _dim = dim;
        _width = 2 * dim;
        _capacity = capacity;
        _weights = new float[capacity * _width];
        _norms = new float[capacity];
        _labels = new int[capacity];
        _x = new float[_width];
    }

    public double LowerVigilance { get; set; }

    public double UpperVigilance { get; set; }

    /// <summary>Best match of the last <see cref="Train"/>.</summary>
    public double LastMatch { get; private set; }

    /// <summary>Match of the last element (the level) with the best category.</summary>
    public double LastEndMatch { get; private set; }

    public void Clear()
    {
        _count = 0;
        _next = 0;
        _labelCount = 0;
    }

    public int Train(ReadOnlySpan<double> f, bool learning = true)
    {
        for (var i = 0; i < _dim; i++)
        {
            _x[i] = (float)f[i];
            _x[_dim + i] = (float)(1 - f[i]);
        }

        if (_count == 0 && _next == 0)
        {
            // The first category is all ones (as in ARTime), labelled 1.
            _labelCount = 1;
            Add(null, 1);
            LastMatch = 0;
            LastEndMatch = 0;
            return 1;
        }

        var best = -1;
        var bestM = double.NegativeInfinity;
        var bestE = 0.0;
        var resonated = false;
        var label = -1;
        var bestAbove = double.NegativeInfinity;
        for (var c = 0; c < _count; c++)
        {
            var (m, e) = Match(c);
            if (!(m > double.NegativeInfinity))
            {
                continue;
            }

            if (m > bestM)
            {
                bestM = m;
                bestE = e;
                best = c;
            }

            if (learning && m >= UpperVigilance)
            {
                // Every resonating category learns (fuzzy AND); the label is the best resonating one's.
                if (m > bestAbove)
                {
                    bestAbove = m;
                    label = _labels[c];
                }

                resonated = true;
                var row = _weights.AsSpan(c * _width, _width);
                var norm = 0f;
                for (var i = 0; i < _width; i++)
                {
                    row[i] = Math.Min(row[i], _x[i]);
                    norm += row[i];
                }

                _norms[c] = norm;
            }
        }

        LastMatch = Math.Max(0, bestM);
        LastEndMatch = best >= 0 && bestM > 0 ? bestE : 0;
        if (!learning || resonated)
        {
            return learning ? label : -1;
        }

        if (best >= 0 && bestM >= LowerVigilance)
        {
            label = _labels[best];
            Add(_x, label);
            return label;
        }

        Add(_x, ++_labelCount);
        return -1;
    }

    // Match = (|x ∧ w| / |w|)^3 · (end match)^2, the end match being that of the newest level and its complement.
    private (double M, double E) Match(int c)
    {
        var row = _weights.AsSpan(c * _width, _width);

        // |x ∧ w| over whole vectors (the width, 2 x 16, is a multiple of every vector size): this loop is the detector's cost.
        var xs = MemoryMarshal.Cast<float, Vector<float>>(_x.AsSpan());
        var ws = MemoryMarshal.Cast<float, Vector<float>>(row);
        var sum = Vector<float>.Zero;
        for (var i = 0; i < xs.Length; i++)
        {
            sum += Vector.Min(xs[i], ws[i]);
        }

        var num = Vector.Sum(sum);
        for (var i = xs.Length * Vector<float>.Count; i < _width; i++)
        {
            num += Math.Min(_x[i], row[i]);
        }

        var norm = _norms[c] == 0 ? 0.001f : _norms[c];
        var fs = num / (double)norm;
        var ei = _dim - 1;
        var endNum = Math.Min(_x[ei], row[ei]) + Math.Min(_x[_width - 1], row[_width - 1]);
        var endW = row[ei] + row[_width - 1];
        var es = endNum / (double)endW;
        if (double.IsNaN(es))
        {
            return (double.NegativeInfinity, 0);
        }

        return (fs * fs * fs * es * es, es);
    }

    private void Add(float[]? x, int label)
    {
        var index = _count < _capacity ? _count++ : _next;
        _next = (index + 1) % _capacity;
        var row = _weights.AsSpan(index * _width, _width);
        if (x is null)
        {
            row.Fill(1f);
        }
        else
        {
            x.CopyTo(row);
        }

        var norm = 0f;
        foreach (var w in row)
        {
            norm += w;
        }

        _norms[index] = norm;
        _labels[index] = label;
    }
}
