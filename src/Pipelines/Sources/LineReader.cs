namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Splits a byte stream into lines in one reused buffer. Lines longer than the buffer are skipped up to the next
/// newline and reported as oversized; a last line without a newline is reported as partial.
/// </summary>
internal sealed class LineReader
{
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private bool _skipping;
    private bool _eof;

    public LineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _buffer = new byte[Math.Max(64, maxLineBytes)];
    }

    /// <summary>Oversized lines skipped so far.</summary>
    public long Oversized { get; private set; }

    public enum Result
    {
        Line,
        PartialLastLine,
        EndOfStream,
    }

    public Result ReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = pending[..newline].TrimEnd((byte)'\r');
                _start += newline + 1;
                if (_skipping)
                {
                    _skipping = false;
                    continue;
                }

                return Result.Line;
            }

            if (_eof)
            {
                line = pending;
                _start = _end;
                if (line.Length == 0 || _skipping)
                {
                    _skipping = false;
                    return Result.EndOfStream;
                }

                return Result.PartialLastLine;
            }

            if (_start > 0)
            {
                pending.CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                // A line longer than the buffer: drop what we have and the rest of it.
                if (!_skipping)
                {
                    Oversized++;
                }

                _skipping = true;
                _end = 0;
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }
}
