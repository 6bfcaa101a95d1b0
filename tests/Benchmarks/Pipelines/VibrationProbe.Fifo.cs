using System.Device.Spi;
using System.Globalization;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Devices.Vibration;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Pipelines.Windowing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Benchmarks.Pipelines;

/// <summary>
/// The same pipeline fed through the adxl345 FIFO source's own burst path (<see cref="FifoAccelerometerSource"/>'s
/// Poll: FIFO_STATUS, INT_SOURCE, one 6-byte SPI transfer per entry, decoding, the context's checks) at the chip's
/// top rate of 3,200 Hz, over an SPI device that replays the probe's signal 32 entries per burst. A manual clock
/// advances by each burst's signal time, so the source's sample clock follows as it would at the chip's pace. What
/// this leaves out: the spidev ioctls themselves (2 + 32 per burst, in the kernel).
/// </summary>
public static partial class VibrationProbe
{
    private const int FifoRateHz = 3200;
    private const int FifoBurst = 32;

    private static void RunThroughFifoSource(int rounds, double secondsPerRound, InferenceRuntime runtime, string modelPath)
    {
        var options = new PipelineOptions
        {
            Name = "vibration-fifo",
            Sources =
            [
                new SourceOptions
                {
                    Channels = [new SourceChannelOptions { Name = "accelX", Unit = "g" }, new SourceChannelOptions { Name = "accelY", Unit = "g" }, new SourceChannelOptions { Name = "accelZ", Unit = "g" }],
                },
            ],
            Window = new WindowOptions { Unit = WindowUnit.Samples, Size = 4096, Hop = 2048 },
            Features = [new FeatureOptions { Kind = FeatureKind.FftBands, Bands = Bands }],
            Alert = new EdgeAgent.Pipelines.Alerts.AlertOptions { RaiseThreshold = 1.0 },
        };
        var features = SensorPipelineFactory.CreateFeatures(options);
        var binding = PipelineModelLoader.Load(runtime, options, features, modelPath);
        var pipeline = SensorPipelineFactory.Create(options, "bench-fifo", binding.Model, 1e9, new DiscardQueue(), features);
        var clock = new ManualClock();
        var spi = new ReplayAdxl345(Stream(seconds: 10, countsPerG: Adxl345Fifo.CountsPerG));
        var context = new SourceContext("bench/fifo", 0, options.Sources[0].Channels, NullLogger.Instance, time: clock);
        var source = new FifoAccelerometerSource(context, () => spi, "replay", FifoRateHz, [0, 1, 2], TimeSpan.FromSeconds(1), clock);
        if (source.TryOpen() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var bursts = (int)Math.Round(secondsPerRound * FifoRateHz / FifoBurst);
        var burstTicks = FifoBurst * TimeSpan.TicksPerSecond / FifoRateHz;
        FeedFifo(pipeline, source, clock, bursts, burstTicks);
        FeedFifo(pipeline, source, clock, bursts, burstTicks);

        var cpu = new List<double>(rounds);
        var allocatedPerRound = new long[rounds];
        long windows = 0;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var start = ThreadCpu.Nanoseconds();
            windows += FeedFifo(pipeline, source, clock, bursts, burstTicks);
            cpu.Add((ThreadCpu.Nanoseconds() - start) / 1e9 / (bursts * FifoBurst / (double)FifoRateHz));
            allocatedPerRound[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var c = CultureInfo.InvariantCulture;
        var share = Median(cpu);
        Console.WriteLine(string.Create(c, $"through the adxl345 FIFO source: 3 axes x {FifoRateHz} Hz, bursts of {FifoBurst} entries (1 SPI transfer each, replayed); same window, features, model, scoring"));
        Console.WriteLine(string.Create(c, $"  CPU per second of signal median {share * 100:0.000}% of one core  (rounds: {string.Join(", ", cpu.Select(v => (v * 100).ToString("0.000", c)))}); {1 / share:0}x faster than real time"));
        Console.WriteLine(string.Create(c, $"  {windows} windows; {source.DroppedFrames} frames dropped; {context.Counters.TotalBad} rejected; managed bytes per round: {string.Join(", ", allocatedPerRound)} ({(double)allocatedPerRound.Sum() / windows:0.##} B per window)"));
    }

    private static int FeedFifo(SensorPipeline pipeline, FifoAccelerometerSource source, ManualClock clock, int bursts, long burstTicks)
    {
        var windows = 0;
        for (var b = 0; b < bursts; b++)
        {
            clock.Advance(burstTicks);
            var samples = source.Poll();
            for (var i = 0; i < samples.Length; i++)
            {
                windows += pipeline.OnSample(samples[i]);
            }
        }

        return windows;
    }

    /// <summary>A clock that moves only when told (the chip's pace, not the benchmark's).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = DateTime.UtcNow.Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Advance(long ticks) => _ticks += ticks;

        public override DateTimeOffset GetUtcNow() => new(_ticks, TimeSpan.Zero);

        public override long GetTimestamp() => _ticks;
    }

    /// <summary>An ADXL345 whose FIFO always holds 32 entries, taken in turn from a recorded byte stream (X Y Z int16
    /// little-endian frames at full resolution, 256 LSB/g); registers written are kept and read back.</summary>
    private sealed class ReplayAdxl345 : SpiDevice
    {
        private readonly byte[] _stream;
        private readonly byte[] _registers = new byte[64];
        private int _position;

        public ReplayAdxl345(byte[] stream)
        {
            _stream = stream;
            _registers[0] = 0xe5;
        }

        public override SpiConnectionSettings ConnectionSettings { get; } = new(0, 0);

        public override byte ReadByte() => throw new NotSupportedException();

        public override void Read(Span<byte> buffer) => throw new NotSupportedException();

        public override void WriteByte(byte value) => throw new NotSupportedException();

        public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException();

        public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            var register = writeBuffer[0] & 0x3f;
            if ((writeBuffer[0] & 0x80) == 0)
            {
                _registers[register] = writeBuffer[1];
                return;
            }

            if (register == 0x32)
            {
                _stream.AsSpan(_position, 6).CopyTo(readBuffer[1..]);
                _position = (_position + 6) % _stream.Length;
                return;
            }

            readBuffer[1] = register switch
            {
                0x39 => FifoBurst,
                0x30 => 0x82, // data ready, watermark; no overrun
                _ => _registers[register],
            };
        }
    }
}
