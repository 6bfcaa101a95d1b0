namespace EdgeAgent.Pipelines.Scoring;

/// <summary>
/// Turns one model run (its input features and its output) into an anomaly score, and says which features or
/// classes contributed most. Implementations keep their scratch state, so one instance serves one pipeline loop.
/// </summary>
public abstract class AnomalyScorer
{
    /// <summary>Names of what <see cref="TopContributors"/> indexes (features or classes), UTF-8.</summary>
    public abstract IReadOnlyList<byte[]> ContributorNames { get; }

    /// <summary>The score of the window whose features were <paramref name="input"/> and model output <paramref name="output"/>.</summary>
    public abstract double Score(ReadOnlySpan<float> input, ReadOnlySpan<float> output);

    /// <summary>After <see cref="Score"/>: the largest contributions, largest first, into the two spans; returns how many.</summary>
    public abstract int TopContributors(Span<int> indices, Span<double> contributions);

    /// <summary>Picks the <c>indices.Length</c> largest of <paramref name="values"/> (k is small: insertion into a sorted prefix).</summary>
    protected static int Largest(ReadOnlySpan<double> values, Span<int> indices, Span<double> top, ReadOnlySpan<bool> eligible = default)
    {
        var k = Math.Min(indices.Length, top.Length);
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (!eligible.IsEmpty && !eligible[i])
            {
                continue;
            }

            var v = values[i];
            if (count == k && (k == 0 || v <= top[k - 1]))
            {
                continue;
            }

            var position = count < k ? count++ : k - 1;
            while (position > 0 && top[position - 1] < v)
            {
                top[position] = top[position - 1];
                indices[position] = indices[position - 1];
                position--;
            }

            top[position] = v;
            indices[position] = i;
        }

        return count;
    }
}
