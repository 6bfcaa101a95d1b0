using System.Diagnostics;

namespace EdgeAgent.Pipelines.Tests.Sources.Devices.Emulation;

/// <summary>
/// An ADXL345 on SPI whose FIFO fills in real time at the output data rate in BW_RATE (datasheet rev. G): while
/// POWER_CTL's measure bit is set it takes a sample every 1/ODR s. In stream mode (FIFO_CTL bits 7:6 = 10) samples
/// queue in the FIFO, 33 at most (32 and the output registers, as FIFO_STATUS counts them); a sample arriving at a
/// full FIFO overwrites the oldest and sets INT_SOURCE's overrun bit, which reading the FIFO clears. A multi-byte
/// read of DATAX0..DATAZ1 returns the oldest entry and pops it when the transaction ends; bypass mode (FIFO_CTL 0)
/// empties the FIFO and the data registers hold the latest sample. SPI framing as in <see cref="Adxl345Chip"/>.
/// </summary>
internal sealed class Adxl345FifoChip : EmulatedSpiDevice
{
    private readonly Queue<(long N, short X, short Y, short Z)> _fifo = new();
    private readonly List<long> _lost = [];
    private readonly object _lock = new();
    private long _start;
    private long _produced;
    private bool _overrun;

    public Adxl345FifoChip()
    {
        Registers[0x00] = 0xe5;
    }

    public byte[] Registers { get; } = new byte[64];

    /// <summary>Sample n of the signal, in counts (the default counts up on X, so gaps show; Z is 1 g at 256 LSB/g).</summary>
    public Func<long, (short X, short Y, short Z)> Signal { get; set; } = n => ((short)(n & 0x7fff), (short)-(n & 0xff), 256);

    /// <summary>The next FIFO_STATUS read first sleeps this long, as a reader thread descheduled mid-burst.</summary>
    public TimeSpan StallOnce { get; set; }

    public long Produced { get { lock (_lock) { return _produced; } } }

    public long Overwritten { get { lock (_lock) { return _lost.Count; } } }

    /// <summary>The numbers of the samples overwritten in the FIFO before anyone read them.</summary>
    public long[] Lost() { lock (_lock) { return [.. _lost]; } }

    /// <summary>A power cycle: every register back to its reset value (standby, bypass, 100 Hz).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            Array.Clear(Registers);
            Registers[0x00] = 0xe5;
            Registers[0x2c] = 0x0a;
            _fifo.Clear();
        }
    }

    protected override void Transfer(ReadOnlySpan<byte> written, Span<byte> read)
    {
        if (written.Length == 0)
        {
            return;
        }

        var register = written[0] & 0x3f;
        var reading = (written[0] & 0x80) != 0;
        var count = (written[0] & 0x40) != 0 ? written.Length - 1 : Math.Min(1, written.Length - 1);
        if (reading && register == 0x39 && StallOnce > TimeSpan.Zero)
        {
            var stall = StallOnce;
            StallOnce = TimeSpan.Zero;
            Thread.Sleep(stall);
        }

        lock (_lock)
        {
            Advance();
            var streaming = (Registers[0x38] & 0xc0) != 0;
            var poppedData = false;
            for (var i = 0; i < count; i++)
            {
                var at = (register + i) & 0x3f;
                if (!reading)
                {
                    Write(at, written[1 + i]);
                    continue;
                }

                if (at is >= 0x32 and <= 0x37 && streaming)
                {
                    poppedData = true;
                    var (_, x, y, z) = _fifo.TryPeek(out var entry) ? entry : default;
                    var word = ((at - 0x32) / 2) switch { 0 => x, 1 => y, _ => z };
                    read[1 + i] = (at & 1) == 0 ? (byte)word : (byte)(word >> 8);
                }
                else
                {
                    read[1 + i] = at switch
                    {
                        0x30 => (byte)((_fifo.Count > 0 ? 0x80 : 0) | (_fifo.Count >= (Registers[0x38] & 0x1f) ? 0x02 : 0) | (_overrun ? 0x01 : 0)),
                        0x39 => (byte)Math.Min(_fifo.Count, 33),
                        _ => Registers[at],
                    };
                }
            }

            if (poppedData && _fifo.Count > 0)
            {
                _fifo.Dequeue();
                _overrun = false;
            }
        }
    }

    private void Write(int register, byte value)
    {
        var wasMeasuring = (Registers[0x2d] & 0x08) != 0;
        Registers[register] = value;
        if (register == 0x2d && !wasMeasuring && (value & 0x08) != 0)
        {
            _start = Stopwatch.GetTimestamp();
            _produced = 0;
        }

        if (register == 0x38 && (value & 0xc0) == 0)
        {
            _fifo.Clear();
            _overrun = false;
        }
    }

    private void Advance()
    {
        if ((Registers[0x2d] & 0x08) == 0)
        {
            return;
        }

        var rate = 3200.0 / Math.Pow(2, 15 - (Registers[0x2c] & 0x0f));
        var due = (long)((Stopwatch.GetTimestamp() - _start) * rate / Stopwatch.Frequency);
        var streaming = (Registers[0x38] & 0xc0) == 0x80;
        while (_produced < due)
        {
            var sample = Signal(_produced++);
            if (!streaming)
            {
                BitConverter.TryWriteBytes(Registers.AsSpan(0x32), sample.X);
                BitConverter.TryWriteBytes(Registers.AsSpan(0x34), sample.Y);
                BitConverter.TryWriteBytes(Registers.AsSpan(0x36), sample.Z);
                continue;
            }

            _fifo.Enqueue((_produced - 1, sample.X, sample.Y, sample.Z));
            if (_fifo.Count > 33)
            {
                _lost.Add(_fifo.Dequeue().N);
                _overrun = true;
            }
        }
    }
}
