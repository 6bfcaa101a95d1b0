using System.Diagnostics;
using System.Threading.Channels;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Replays a recorded CSV or JSON Lines file at recorded speed, a multiple of it, or as fast as the pipeline
/// takes samples; optionally in a loop with timestamps that keep increasing. A file that disappears is retried
/// with backoff and resumed where it stopped.
/// </summary>
public sealed class ReplaySource : SampleSource
{
    private readonly ReplaySourceOptions _options;
    private readonly TimeSpan _maxRetry;
    private readonly RecordParser _parser;

    public ReplaySource(SourceContext context, ReplaySourceOptions options, TimeSpan maxRetry)
        : base(context)
    {
        _options = options;
        _maxRetry = maxRetry;
        Format = options.Format ?? (options.Path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ||
                                    options.Path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? RecordFormat.JsonLines
            : RecordFormat.Csv);
        _parser = new RecordParser(Format, [.. context.Channels.Select(c => c.EffectiveField)], options.TimestampField, options.DelimiterByte());
    }

    public RecordFormat Format { get; }

    /// <summary>Passes over the file completed so far.</summary>
    public int Passes { get; private set; }

    public override async Task RunAsync(ChannelWriter<Sample> writer, CancellationToken cancellationToken)
    {
        var channels = Context.Channels.Count;
        var values = new double[channels];
        var valid = new bool[channels];
        var link = new DeviceLink(Context, _maxRetry);
        var linesDone = 0L;
        var shift = 0L;
        long first = 0, last = 0, interval = 0;
        var started = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(_options.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 64 * 1024, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(link.OpenFailed(_options.Path, e.Message), cancellationToken).ConfigureAwait(false);
                continue;
            }

            link.Opened(_options.Path);
            bool ended;
            await using (stream.ConfigureAwait(false))
            {
                var reader = new LineReader(stream, 64 * 1024);
                var skip = linesDone;
                var line = 0L;
                ended = false;
                while (!cancellationToken.IsCancellationRequested)
                {
                    long ticks;
                    try
                    {
                        var result = reader.ReadLine(out var text);
                        if (result == LineReader.Result.EndOfStream)
                        {
                            ended = true;
                            break;
                        }

                        line++;
                        if (line == 1 && Format == RecordFormat.Csv)
                        {
                            if (_parser.AwaitingHeader && _parser.ReadHeader(text) is { } problem)
                            {
                                // A user mistake that retrying cannot fix: stop with one message naming the file and the fix (65: data error).
                                throw new InvalidInputFileException($"{_options.Path}: {problem}; set the channel's field and replay.timestampField to columns of the file");
                            }

                            continue;
                        }

                        if (line <= skip || text.IsEmpty)
                        {
                            continue;
                        }

                        linesDone = line;
                        if (!_parser.TryParse(text, Context, values, valid, out ticks))
                        {
                            continue;
                        }
                    }
                    catch (IOException e)
                    {
                        link.ReadFailed(_options.Path, e.Message);
                        break;
                    }

                    if (first == 0)
                    {
                        first = ticks;
                    }

                    if (ticks > last && last != 0)
                    {
                        interval = ticks - last;
                    }

                    last = Math.Max(last, ticks);
                    ticks += shift;
                    if (_options.Speed > 0)
                    {
                        var due = TimeSpan.FromTicks((long)((ticks - first) / _options.Speed)) - Stopwatch.GetElapsedTime(started);
                        if (due > TimeSpan.FromMilliseconds(1))
                        {
                            await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    for (var c = 0; c < channels; c++)
                    {
                        if (valid[c] && Context.TryAccept(c, ticks, values[c], out var sample))
                        {
                            await writer.WriteAsync(sample, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
            }

            if (!ended)
            {
                continue;
            }

            Passes++;
            SourceLog.EndOfFile(Context.Logger, Name, _options.Path, Context.Counters.Samples);
            if (Context.Counters.TotalBad > 0)
            {
                // The per-line warnings are rate limited; this line gives every reason's count once per pass.
                SourceLog.RejectedSummary(Context.Logger, Name, _options.Path, Context.Counters.TotalBad, Context.Counters.DescribeRejections());
            }
            if (!_options.Loop || first == 0)
            {
                return;
            }

            // The next pass continues the clock: one recorded interval after this pass's last sample.
            shift += last - first + Math.Max(interval, 1);
            linesDone = 0;
        }
    }
}
