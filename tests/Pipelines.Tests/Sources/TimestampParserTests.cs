using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class TimestampParserTests
{
    [Theory]
    [InlineData("2013-12-02 21:15:00", "2013-12-02T21:15:00.0000000Z")]
    [InlineData("2013-12-10 06:25:00.000000", "2013-12-10T06:25:00.0000000Z")]
    [InlineData("2024-02-29T23:59:59.1234567Z", "2024-02-29T23:59:59.1234567Z")]
    [InlineData("2024-03-01T01:30:00+01:00", "2024-03-01T00:30:00.0000000Z")]
    [InlineData("\"2024-03-01 00:00\"", "2024-03-01T00:00:00.0000000Z")]
    [InlineData("1700000000", "2023-11-14T22:13:20.0000000Z")]
    [InlineData("1700000000.5", "2023-11-14T22:13:20.5000000Z")]
    [InlineData("1700000000500", "2023-11-14T22:13:20.5000000Z")]
    public void Parses_nab_rfc3339_and_unix_times_as_utc(string text, string expected)
    {
        TimestampParser.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var ticks).Should().BeTrue();
        new DateTime(ticks, DateTimeKind.Utc).ToString("O").Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2013-13-02 21:15:00")]
    [InlineData("2013-02-30 21:15:00")]
    [InlineData("2013-12-02 25:15:00")]
    [InlineData("2013-12-02 21:15:00 garbage")]
    [InlineData("NaN")]
    public void Rejects_what_is_not_a_time(string text) =>
        TimestampParser.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out _).Should().BeFalse();
}
