using System.Diagnostics;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

public sealed class ReplaySourceTests
{
    private static ReplaySource Replay(string path, double speed = 0, bool loop = false, string channel = "value") =>
        new(SourceRunner.Context("replay", channel), new ReplaySourceOptions { Path = path, Speed = speed, Loop = loop }, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Reads_every_row_of_a_nab_file_as_it_is()
    {
        var path = Path.Combine(RepositoryPaths.SharedData, "nab", "machine_temperature_system_failure.csv");
        var rows = File.ReadLines(path).Count() - 1;
        await using var runner = new SourceRunner(Replay(path));
        var samples = await runner.CompleteAsync();
        // The file repeats one hour on 2014-01-07 (02:00..02:55 again after 02:55): those 12 rows go backwards in
        // time (the last one repeats 02:55 exactly) and are rejected and counted; everything else comes through.
        rows.Should().Be(22_695);
        samples.Should().HaveCount(rows - 12);
        runner.Source.Counters[BadInput.TimestampBackwards].Should().Be(11);
        runner.Source.Counters[BadInput.DuplicateTimestamp].Should().Be(1);
        runner.Source.Counters.TotalBad.Should().Be(12);
        new DateTime(samples[0].TimestampTicks).Should().Be(new DateTime(2013, 12, 2, 21, 15, 0));
        samples[0].Value.Should().Be(73.96732207);
        samples.Zip(samples.Skip(1)).Should().OnlyContain(p => p.Second.TimestampTicks > p.First.TimestampTicks);
    }

    [Fact]
    public async Task Bad_lines_are_counted_and_never_stop_the_replay()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("bad.csv", string.Join('\n',
            "timestamp,value",
            "2024-01-01 00:00:00,1",
            "2024-01-01 00:01:00,abc",
            "this line is broken",
            "2024-01-01 00:02:00,NaN",
            "2024-01-01 00:02:30,Infinity",
            "2024-01-01 00:03:00,4",
            "2024-01-01 00:03:00,4",
            "2024-01-01 00:02:00,5",
            "2024-01-01 00:04:00,",
            "not a date,6",
            "",
            "2024-01-01 00:05:00,7\r",
            "2024-01-01 00:06:00,8"));
        await using var runner = new SourceRunner(Replay(path));
        var samples = await runner.CompleteAsync();
        samples.Select(s => s.Value).Should().Equal(1, 4, 7, 8);
        var counters = runner.Source.Counters;
        counters[BadInput.NonNumeric].Should().Be(1);
        counters[BadInput.MalformedLine].Should().Be(0);
        counters[BadInput.BadTimestamp].Should().Be(2);
        counters[BadInput.NonFinite].Should().Be(2);
        counters[BadInput.DuplicateTimestamp].Should().Be(1);
        counters[BadInput.TimestampBackwards].Should().Be(1);
        counters[BadInput.MissingField].Should().Be(1);
    }

    [Fact]
    public async Task Json_lines_replay_with_a_loop_keeps_timestamps_increasing()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("rec.jsonl", """
            {"timestamp":"2024-01-01T00:00:00Z","value":1}
            {"timestamp":"2024-01-01T00:00:10Z","value":2}
            {"timestamp":"2024-01-01T00:00:20Z","value":3}
            """);
        var source = Replay(path, loop: true);
        source.Format.Should().Be(RecordFormat.JsonLines);
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => runner.Samples.Count >= 9, "three passes");
        var samples = runner.Samples.Take(9).ToList();
        samples.Select(s => s.Value).Should().Equal(1, 2, 3, 1, 2, 3, 1, 2, 3);
        samples.Select(s => (s.TimestampTicks - samples[0].TimestampTicks) / TimeSpan.TicksPerSecond).Should().Equal(0, 10, 20, 30, 40, 50, 60, 70, 80);
        runner.Source.Counters.TotalBad.Should().Be(0);
    }

    [Fact]
    public async Task Recorded_speed_times_a_multiple_paces_the_samples()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("slow.csv", "timestamp,value\n2024-01-01 00:00:00,1\n2024-01-01 00:01:00,2\n2024-01-01 00:02:00,3\n");
        var clock = Stopwatch.StartNew();
        await using var runner = new SourceRunner(Replay(path, speed: 200));
        (await runner.CompleteAsync()).Should().HaveCount(3);

        // 120 s of recording at 200x is 0.6 s; as fast as possible would take milliseconds.
        clock.Elapsed.Should().BeGreaterThan(TimeSpan.FromMilliseconds(550));
    }

    [Fact]
    public async Task A_missing_file_is_retried_until_it_appears()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("later.csv");
        await using var runner = new SourceRunner(Replay(path));
        await SourceRunner.Until(() => runner.Source.Counters.ReadErrors >= 2, "a couple of failed opens");
        runner.Source.Counters.DeviceLost.Should().Be(1);
        File.WriteAllText(path, "timestamp,value\n2024-01-01 00:00:00,42\n");
        var samples = await runner.CompleteAsync();
        samples.Should().ContainSingle().Which.Value.Should().Be(42);
        runner.Source.Counters.DeviceBack.Should().Be(1);
    }

    [Fact]
    public async Task A_header_without_the_channel_stops_with_a_message_naming_it()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("other.csv", "timestamp,temp\n2024-01-01 00:00:00,1\n");
        await using var runner = new SourceRunner(Replay(path));
        var act = () => runner.CompleteAsync();
        (await act.Should().ThrowAsync<EdgeAgent.Pipelines.Configuration.InvalidInputFileException>()).WithMessage("*other.csv: the header has no column 'value' (columns: timestamp, temp); set the channel's field and replay.timestampField to columns of the file");
    }
}
