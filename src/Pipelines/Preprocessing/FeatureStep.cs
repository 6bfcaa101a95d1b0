using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>One configured feature step; writes its features into a slice of the model input.</summary>
public abstract class FeatureStep
{
    /// <summary>Number of floats this step writes.</summary>
    public abstract int Length { get; }

    /// <summary>Writes this step's features into <paramref name="destination"/> (exactly <see cref="Length"/> floats).
    /// <paramref name="written"/> is everything the earlier steps wrote (read by standardisation).</summary>
    public abstract void Write(WindowData window, Span<float> destination, Span<float> written);

    public abstract void AddNames(List<string> names, IReadOnlyList<string> channelNames);
}
