using System.Runtime.CompilerServices;

namespace EdgeAgent.Pipelines.Sources;

/// <summary>
/// Lets <see cref="SourceContext.Reject(BadInput, ref RejectDetail)"/> take an interpolated string that is only
/// formatted when the rejection will actually be logged (at most every 10 s), so a stream of bad input costs a
/// counter increment, not an allocation per line.
/// </summary>
[InterpolatedStringHandler]
public ref struct RejectDetail
{
    private readonly bool _enabled;
    private DefaultInterpolatedStringHandler _inner;

    public RejectDetail(int literalLength, int formattedCount, SourceContext context, BadInput kind, out bool shouldAppend)
    {
        _enabled = context.WillLog();
        shouldAppend = _enabled;
        _inner = _enabled ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
        _ = kind;
    }

    public void AppendLiteral(string value) => _inner.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

    public string ToStringAndClear() => _enabled ? _inner.ToStringAndClear() : string.Empty;
}
