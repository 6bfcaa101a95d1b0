using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class RecordParserTests
{
    private static SourceContext Context(int channels) =>
        new("test", 0, [.. Enumerable.Range(0, channels).Select(i => new SourceChannelOptions { Name = $"c{i}" })], NullLogger.Instance);

    [Fact]
    public void Csv_maps_columns_by_header_and_counts_each_bad_field()
    {
        var context = Context(2);
        var parser = new RecordParser(RecordFormat.Csv, ["b", "a"], "time");
        parser.ReadHeader("a,time,b"u8).Should().BeNull();
        var values = new double[2];
        var valid = new bool[2];

        parser.TryParse("1.5,2024-01-01 00:00:00,2.5"u8, context, values, valid, out var ticks).Should().BeTrue();
        values.Should().Equal(2.5, 1.5);
        valid.Should().Equal(true, true);
        new DateTime(ticks).Should().Be(new DateTime(2024, 1, 1));

        parser.TryParse("x,2024-01-01 00:00:01,3"u8, context, values, valid, out _).Should().BeTrue();
        valid.Should().Equal(true, false);
        context.Counters[BadInput.NonNumeric].Should().Be(1);

        parser.TryParse("1,not a time,3"u8, context, values, valid, out _).Should().BeFalse();
        context.Counters[BadInput.BadTimestamp].Should().Be(1);

        parser.TryParse("1"u8, context, values, valid, out _).Should().BeFalse();
        context.Counters[BadInput.MalformedLine].Should().Be(1);

        parser.TryParse("1,2024-01-01 00:00:02"u8, context, values, valid, out _).Should().BeTrue();
        valid.Should().Equal(false, true);
        context.Counters[BadInput.MissingField].Should().Be(1);
    }

    [Fact]
    public void Csv_header_without_the_configured_columns_names_them()
    {
        var parser = new RecordParser(RecordFormat.Csv, ["value"], "timestamp");
        parser.ReadHeader("time,val"u8).Should().Be("the header has no column 'value', 'timestamp' (columns: time, val)");
    }

    [Fact]
    public void Semicolon_exports_with_decimal_commas_and_spaced_column_names_are_read()
    {
        var context = Context(2);
        var parser = new RecordParser(RecordFormat.Csv, ["Volume Flow RateRMS", "Temperature"], "Zeit");
        parser.ReadHeader("\"Zeit\"; Volume Flow RateRMS ;Temperature"u8).Should().BeNull();
        parser.Delimiter.Should().Be((byte)';');
        var values = new double[2];
        var valid = new bool[2];

        parser.TryParse("2024-01-01 00:00:00;12,5;-3"u8, context, values, valid, out var ticks).Should().BeTrue();
        values.Should().Equal(12.5, -3);
        valid.Should().Equal(true, true);
        new DateTime(ticks).Should().Be(new DateTime(2024, 1, 1));

        parser.TryParse("2024-01-01 00:00:01;1,2,3;4.5"u8, context, values, valid, out _).Should().BeTrue();
        // '1,2,3' is no number: one decimal comma at most.
        valid.Should().Equal(false, true);
        context.Counters[BadInput.NonNumeric].Should().Be(1);
    }

    [Fact]
    public void Tab_separated_files_are_detected_and_a_configured_separator_wins()
    {
        var context = Context(1);
        var tabs = new RecordParser(RecordFormat.Csv, ["v"], "t");
        tabs.ReadHeader("t\tv"u8).Should().BeNull();
        tabs.Delimiter.Should().Be((byte)'\t');
        var values = new double[1];
        var valid = new bool[1];
        tabs.TryParse("2024-01-01 00:00:00\t7,25"u8, context, values, valid, out _).Should().BeTrue();
        values[0].Should().Be(7.25);

        // Configured ',' : a header with more semicolons than commas is still split on commas.
        var commas = new RecordParser(RecordFormat.Csv, ["a;b"], "t", (byte)',');
        commas.ReadHeader("t,a;b"u8).Should().BeNull();
        commas.TryParse("2024-01-01 00:00:00,1.5"u8, context, values, valid, out _).Should().BeTrue();
        values[0].Should().Be(1.5);
        RecordParser.DetectDelimiter("timestamp,value"u8).Should().Be((byte)',');
        RecordParser.DetectDelimiter("value"u8).Should().Be((byte)',');
    }

    [Fact]
    public void Json_lines_take_values_and_timestamp_by_path()
    {
        var context = Context(2);
        var parser = new RecordParser(RecordFormat.JsonLines, ["t", "p.0"], "ts");
        var values = new double[2];
        var valid = new bool[2];
        parser.TryParse("""{"ts":"2024-05-01T10:00:00Z","t":20.5,"p":[1013]}"""u8, context, values, valid, out var ticks).Should().BeTrue();
        values.Should().Equal(20.5, 1013);
        new DateTime(ticks).Should().Be(new DateTime(2024, 5, 1, 10, 0, 0));
        parser.TryParse("""{"ts":1714557600,"t":"warm"}"""u8, context, values, valid, out ticks).Should().BeTrue();
        new DateTime(ticks).Should().Be(new DateTime(2024, 5, 1, 10, 0, 0));
        valid.Should().Equal(false, false);
        context.Counters[BadInput.NonNumeric].Should().Be(1);
        context.Counters[BadInput.MissingField].Should().Be(1);
        parser.TryParse("{oops"u8, context, values, valid, out _).Should().BeFalse();
        context.Counters[BadInput.MalformedLine].Should().Be(1);
    }

    [Fact]
    public void A_stream_of_bad_lines_is_counted_without_allocating_between_logs()
    {
        var context = Context(1);
        var parser = new RecordParser(RecordFormat.Csv, ["v"], "t");
        parser.ReadHeader("t,v"u8);
        var values = new double[1];
        var valid = new bool[1];
        var line = "2024-01-01 00:00:00,oops"u8.ToArray();
        parser.TryParse(line, context, values, valid, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            parser.TryParse(line, context, values, valid, out _);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
        context.Counters[BadInput.NonNumeric].Should().Be(1001);
    }
}
