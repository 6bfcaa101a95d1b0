using EdgeAgent.Pipelines.Windowing;

namespace EdgeAgent.Pipelines.Preprocessing;

/// <summary>The window's samples themselves, channel after channel.</summary>
public sealed class RawStep : FeatureStep
{
    private readonly int[] _channels;
    private readonly int _size;

    public RawStep(int[] channels, int size)
    {
        _channels = channels;
        _size = size;
    }

    public override int Length => _channels.Length * _size;

    public override void Write(WindowData window, Span<float> destination, Span<float> written)
    {
        for (var i = 0; i < _channels.Length; i++)
        {
            var source = window.Channel(_channels[i]);
            var target = destination.Slice(i * _size, _size);
            var n = Math.Min(source.Length, _size);
            for (var k = 0; k < n; k++)
            {
                target[k] = (float)source[k];
            }

            target[n..].Clear();
        }
    }

    public override void AddNames(List<string> names, IReadOnlyList<string> channelNames)
    {
        foreach (var c in _channels)
        {
            for (var k = 0; k < _size; k++)
            {
                names.Add($"{channelNames[c]}[{k}]");
            }
        }
    }
}
