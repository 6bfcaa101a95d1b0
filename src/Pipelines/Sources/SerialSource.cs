using System.Threading.Channels;
using EdgeAgent.Pipelines.Platform.Native;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// A microcontroller on a tty printing one CSV or JSON line per reading. Runs on its own thread (poll + read).
/// The fragment before the first newline after (re)opening is a half line and is dropped and counted; so is a line
/// cut off by an unplug. Lines with control bytes, over-long lines and unparsable lines are garbage, counted.
/// Unplugging and replugging is survived: logged once, counted, reopened with backoff.
/// </summary>
public sealed class SerialSource : SampleSource
{
    private readonly SerialSourceOptions _options;
    private readonly TimeSpan _maxRetry;
    private readonly RecordParser _parser;
    private readonly ArrivalClock _clock;

    public SerialSource(SourceContext context, SerialSourceOptions options, TimeSpan maxRetry, TimeProvider? time = null)
        : base(context)
    {
        _options = options;
        _maxRetry = maxRetry;
        _clock = new ArrivalClock(time);
        _parser = new RecordParser(options.Format, [.. context.Channels.Select(c => c.EffectiveField)], string.Empty);
    }

    /// <summary>True while the device is open.</summary>
    public bool Connected { get; private set; }

    public override Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(writer, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        var link = new DeviceLink(Context, _maxRetry);
        var line = new byte[_options.MaxLineBytes];
        var chunk = new byte[4096];
        var values = new double[Context.Channels.Count];
        var valid = new bool[Context.Channels.Count];
        while (!cancellationToken.IsCancellationRequested)
        {
            SerialPort port;
            try
            {
                port = SerialPort.Open(_options.Device, _options.BaudRate);
            }
            catch (IOException e)
            {
                cancellationToken.WaitHandle.WaitOne(link.OpenFailed(_options.Device, e.Message));
                continue;
            }

            link.Opened(_options.Device);
            Connected = true;
            var length = 0;
            var synced = false;
            var overlong = false;
            try
            {
                using (port)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        var state = port.Poll(100);
                        if (state == SerialPort.PollResult.Timeout)
                        {
                            continue;
                        }

                        if (state == SerialPort.PollResult.HangUp)
                        {
                            throw new IOException($"{_options.Device} hung up");
                        }

                        var n = port.Read(chunk);
                        for (var i = 0; i < n; i++)
                        {
                            var b = chunk[i];
                            if (b != (byte)'\n')
                            {
                                if (length < line.Length)
                                {
                                    line[length++] = b;
                                }
                                else
                                {
                                    overlong = true;
                                }

                                continue;
                            }

                            if (!synced)
                            {
                                // Whatever came before the first newline started before we were listening.
                                synced = true;
                                if (length > 0)
                                {
                                    Context.Reject(BadInput.PartialLine, "a half line before the first complete one");
                                }
                            }
                            else if (overlong)
                            {
                                Context.Reject(BadInput.Garbage, $"a line longer than {line.Length} bytes");
                            }
                            else
                            {
                                Process(line.AsSpan(0, length), values, valid, writer, cancellationToken);
                            }

                            length = 0;
                            overlong = false;
                        }
                    }
                }
            }
            catch (IOException e)
            {
                Connected = false;
                link.ReadFailed(_options.Device, e.Message);
                if (length > 0)
                {
                    Context.Reject(BadInput.PartialLine, "a line cut off when the device went away");
                }

                cancellationToken.WaitHandle.WaitOne(link.NextDelay());
            }

            Connected = false;
        }
    }

    private void Process(ReadOnlySpan<byte> text, double[] values, bool[] valid, ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        text = text.TrimEnd((byte)'\r');
        if (text.IsEmpty)
        {
            return;
        }

        foreach (var b in text)
        {
            if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
            {
                Context.Reject(BadInput.Garbage, "control bytes in a line (wrong baud rate?)");
                return;
            }
        }

        if (_parser.AwaitingHeader)
        {
            if (_parser.ReadHeader(text) is { } problem)
            {
                Context.Reject(BadInput.MalformedLine, problem);
                return;
            }

            if (!_parser.AwaitingHeader && !char.IsAsciiDigit((char)text[0]) && text[0] != (byte)'-')
            {
                return;
            }
        }

        if (!_parser.TryParse(text, Context, values, valid, out _))
        {
            return;
        }

        var ticks = _clock.UtcTicks();
        for (var c = 0; c < values.Length; c++)
        {
            if (valid[c] && Context.TryAccept(c, ticks, values[c], out var sample))
            {
                while (!writer.TryWrite(sample))
                {
                    // The pipeline is behind: wait on this dedicated thread rather than drop readings.
                    if (!writer.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                    {
                        return;
                    }
                }
            }
        }
    }
}
