using System.Buffers.Binary;

namespace EdgeAgent.Pipelines.Sources.Devices.Vibration;

/// <summary>
/// Turns one FIFO burst of a 3-axis accelerometer (frames of X, Y, Z as signed 16-bit little-endian words, the layout
/// of the ADXL34x/IIS3DWB/LSM6 output and FIFO registers) into samples on the pipeline's channels. Timestamps come
/// from the sample clock, not from when the burst was read: a burst holds hundreds of samples read in one
/// transaction, and their spacing is the chip's output data rate. Allocates nothing: the caller owns both buffers.
/// </summary>
public sealed class FifoBurstDecoder
{
    public const int FrameBytes = 6;
    private readonly int _channelBase;
    private readonly double _scale;
    private readonly double _ticksPerSample;
    private long _startTicks;
    private long _sampleIndex;

    /// <param name="channelBase">Pipeline index of the X channel; Y and Z follow.</param>
    /// <param name="sampleRateHz">The chip's output data rate (e.g. 25,600).</param>
    /// <param name="scale">Units per count (e.g. g per LSB: 16 g full scale / 32,768).</param>
    public FifoBurstDecoder(int channelBase, double sampleRateHz, double scale, long startTicks)
    {
        _channelBase = channelBase;
        _scale = scale;
        _ticksPerSample = TimeSpan.TicksPerSecond / sampleRateHz;
        _startTicks = startTicks;
    }

    /// <summary>The timestamp the next decoded frame will get.</summary>
    public long NextTicks => _startTicks + (long)(_sampleIndex * _ticksPerSample);

    /// <summary>Samples decoded so far (frames, each one sample per axis).</summary>
    public long Frames => _sampleIndex;

    /// <summary>Decodes whole frames of <paramref name="fifo"/> into <paramref name="destination"/> (three samples per
    /// frame, X Y Z); returns how many samples were written.</summary>
    public int Decode(ReadOnlySpan<byte> fifo, Span<Sample> destination)
    {
        var frames = Math.Min(fifo.Length / FrameBytes, destination.Length / 3);
        var written = 0;
        for (var f = 0; f < frames; f++)
        {
            // Whole ticks from the start, so rounding never accumulates over hours of samples.
            var ticks = _startTicks + (long)(_sampleIndex++ * _ticksPerSample);
            var frame = fifo.Slice(f * FrameBytes, FrameBytes);
            destination[written++] = new Sample(ticks, _channelBase, BinaryPrimitives.ReadInt16LittleEndian(frame) * _scale);
            destination[written++] = new Sample(ticks, _channelBase + 1, BinaryPrimitives.ReadInt16LittleEndian(frame[2..]) * _scale);
            destination[written++] = new Sample(ticks, _channelBase + 2, BinaryPrimitives.ReadInt16LittleEndian(frame[4..]) * _scale);
        }

        return written;
    }

    /// <summary>Starts the sample clock again (the FIFO overflowed and samples were lost, or the chip was reset).</summary>
    public void Restart(long startTicks)
    {
        _startTicks = startTicks;
        _sampleIndex = 0;
    }
}
