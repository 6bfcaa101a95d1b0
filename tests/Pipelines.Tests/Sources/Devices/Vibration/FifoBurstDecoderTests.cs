using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices.Vibration;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Vibration;

public sealed class FifoBurstDecoderTests
{
    [Fact]
    public void Frames_become_xyz_samples_scaled_and_stamped_by_the_sample_clock_across_bursts()
    {
        // Two frames: (+1 g, -1 g, 0) and (0.5 g, 16384 counts = 1 g at ±2 g, -32768 = -2 g), 16,384 counts per g.
        byte[] burst = [0x00, 0x40, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x20, 0x00, 0x40, 0x00, 0x80, 0xff /* partial frame */];
        var decoder = new FifoBurstDecoder(channelBase: 4, sampleRateHz: 25_600, scale: 1 / 16384.0, startTicks: 1_000_000);
        var samples = new Sample[12];
        decoder.Decode(burst, samples).Should().Be(6, "two whole frames; the partial one waits for the next read");
        samples[..6].Select(s => s.Channel).Should().Equal(4, 5, 6, 4, 5, 6);
        samples[..6].Select(s => s.Value).Should().Equal(1, -1, 0, 0.5, 1, -2);
        samples[3].TimestampTicks.Should().Be(1_000_000 + 390, "25.6 kHz is 390.625 ticks apart, truncated");

        decoder.Decode(burst.AsSpan(0, 6), samples).Should().Be(3);
        samples[0].TimestampTicks.Should().Be(1_000_000 + 781, "the third frame is 781.25 ticks from the start: no drift from rounding per frame");
        decoder.Frames.Should().Be(3);
    }
}
