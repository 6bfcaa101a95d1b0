using System.Numerics;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>(x - mean) / std, in place, over every feature the earlier steps wrote; writes nothing of its own.</summary>
public sealed class StandardizeStep : FeatureStep
{
    private float[] _mean = [];
    private float[] _inverseStd = [];

    public override int Length => 0;

    /// <summary>Features this step expects (0 until <see cref="Set"/>).</summary>
    public int Expected => _mean.Length;

    /// <summary>The means in use (an OTA shadow maps the active model's features onto a candidate's standardisation).</summary>
    public ReadOnlySpan<float> Mean => _mean;

    /// <summary>1 / std for each feature, as applied.</summary>
    public ReadOnlySpan<float> InverseStd => _inverseStd;

    public void Set(IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        if (mean.Count != std.Count)
        {
            throw new ArgumentException($"standardisation has {mean.Count} means but {std.Count} standard deviations");
        }

        _mean = [.. mean.Select(m => (float)m)];
        _inverseStd = [.. std.Select(s => (float)(1.0 / s))];
    }

    public override void Write(WindowData window, Span<float> destination, Span<float> written)
    {
        if (_mean.Length != written.Length)
        {
            throw new InvalidOperationException($"standardisation has {_mean.Length} values for {written.Length} features");
        }

        // Lane by lane the same two float operations as the scalar tail, so the vectors change no bit.
        var mean = _mean.AsSpan();
        var inverseStd = _inverseStd.AsSpan(0, mean.Length);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= written.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var x = new Vector<float>(written[i..]);
                ((x - new Vector<float>(mean[i..])) * new Vector<float>(inverseStd[i..])).CopyTo(written[i..]);
            }
        }

        for (; i < written.Length; i++)
        {
            written[i] = (written[i] - mean[i]) * inverseStd[i];
        }
    }

    public override void AddNames(List<string> names, IReadOnlyList<string> channelNames)
    {
    }
}
