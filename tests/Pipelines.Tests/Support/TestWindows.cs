using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Windowing;
using FluentAssertions;

namespace EdgeAgent.Pipelines.Tests.Support;

/// <summary>Exactly one window of the given channels, made by a real <see cref="Windower"/> (size = hop = the channels' length).</summary>
public static class TestWindows
{
    /// <remarks>The window is a view of the windower's ring: valid because nothing is pushed after it.</remarks>
    public static WindowData Of(params double[][] channels)
    {
        var windower = new Windower(new WindowOptions { Size = channels[0].Length, Hop = channels[0].Length }, [.. channels.Select(_ => ChannelRange.Any)]);
        var window = windower.CreateWindowData();
        var made = 0;
        for (var i = 0; i < channels[0].Length; i++)
        {
            for (var c = 0; c < channels.Length; c++)
            {
                windower.Push(new Sample(1000 + i, c, channels[c][i]));
                while (windower.TryGetWindow(window))
                {
                    made++;
                }
            }
        }

        made.Should().Be(1);
        return window;
    }
}
