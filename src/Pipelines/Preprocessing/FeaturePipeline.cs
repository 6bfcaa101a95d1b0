using System.Text;
using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>
/// The configured feature steps, writing one window's features straight into a caller-provided span (the model's
/// pinned input tensor). Allocates nothing per window.
/// </summary>
public sealed class FeaturePipeline
{
    private readonly FeatureStep[] _steps;

    public FeaturePipeline(IReadOnlyList<FeatureStep> steps, IReadOnlyList<string> channelNames)
    {
        _steps = [.. steps];
        Length = _steps.Sum(s => s.Length);
        var names = new List<string>(Length);
        foreach (var step in _steps)
        {
            step.AddNames(names, channelNames);
        }

        Names = names;
        Utf8Names = [.. names.Select(Encoding.UTF8.GetBytes)];
    }

    /// <summary>Number of floats <see cref="Write"/> fills: the model's input length.</summary>
    public int Length { get; }

    /// <summary>One name per feature (e.g. temperature.mean), for events and model manifests.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The same names in UTF-8, so events can name features without encoding them per window.</summary>
    public byte[][] Utf8Names { get; }

    /// <summary>The standardisation step, if configured (its mean/std may come from the model manifest).</summary>
    public StandardizeStep? Standardization => _steps.OfType<StandardizeStep>().LastOrDefault();

    /// <summary>Builds the steps from configuration.</summary>
    /// <param name="windowSize">Samples per window (sample mode), for raw and FFT steps.</param>
    public static FeaturePipeline Create(IReadOnlyList<FeatureOptions> features, IReadOnlyList<string> channelNames, int windowSize)
    {
        var steps = new List<FeatureStep>();
        var length = 0;
        foreach (var feature in features)
        {
            int[] channels = feature.Channels.Count == 0
                ? [.. Enumerable.Range(0, channelNames.Count)]
                : [.. feature.Channels.Select(name => IndexOf(channelNames, name))];
            FeatureStep step = feature.Kind switch
            {
                FeatureKind.Raw => new RawStep(channels, windowSize),
                FeatureKind.FftBands => new FftBandsStep(channels, windowSize, feature.Bands),
                FeatureKind.Standardize => Standardize(feature, length),
                _ => new StatisticsStep(channels, feature.EffectiveStatistics()),
            };
            length += step.Length;
            steps.Add(step);
        }

        return new FeaturePipeline(steps, channelNames);
    }

    /// <summary>Writes the window's features into <paramref name="destination"/>[0..<see cref="Length"/>).</summary>
    public void Write(WindowData window, Span<float> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"the destination holds {destination.Length} floats; the features need {Length}", nameof(destination));
        }

        var offset = 0;
        foreach (var step in _steps)
        {
            step.Write(window, destination.Slice(offset, step.Length), destination[..offset]);
            offset += step.Length;
        }
    }

    private static StandardizeStep Standardize(FeatureOptions feature, int length)
    {
        var step = new StandardizeStep();
        if (feature.Mean.Count > 0)
        {
            if (feature.Mean.Count != length)
            {
                throw new ArgumentException($"standardize has {feature.Mean.Count} mean/std values but the steps before it write {length} features");
            }

            step.Set(feature.Mean, feature.Std);
        }

        return step;
    }

    private static int IndexOf(IReadOnlyList<string> channelNames, string name)
    {
        for (var i = 0; i < channelNames.Count; i++)
        {
            if (channelNames[i] == name)
            {
                return i;
            }
        }

        throw new ArgumentException($"unknown channel '{name}' (channels: {string.Join(", ", channelNames)})");
    }
}
