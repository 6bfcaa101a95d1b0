using System.Text;
using EdgeAgent.Pipelines.Sources;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

/// <summary>
/// Issue 17: hostile input for the CSV/JSON source parsers, mutated from valid records with fixed seeds (so a finding
/// reproduces). Bad input must end as a typed rejection (false, counted by reason), never an exception that would
/// reach a source's loop. Each test is bounded by an iteration count and finishes in a few seconds.
/// </summary>
public sealed class SourceParserFuzzTests
{
    private static readonly string[] CsvSeeds =
    [
        "time,temperature,vibration", "2024-01-01 00:00:00,60.5,4.1", "2024-01-01T00:00:00.123456Z,1e3,-2",
        "1714557620,0,0", "\"2024-05-01T10:00:00+02:00\",  7 ,8", "9999-12-31T23:59:59Z,1,2", ",,", "NaN,Infinity,-0",
    ];

    private static readonly string[] JsonSeeds =
    [
        """{"time":"2024-05-01T10:00:00Z","temperature":21.5,"vibration":1}""",
        """{"time":1714557620,"temperature":-1e308,"vibration":"4"}""",
        """{"time":253402300798,"temperature":{"x":[1,2,{"y":null}]},"vibration":true}""",
        """{"sensors":[{"value":1013.2},{"value":"n/a"}],"temperature":1,"time":"2024-02-30T00:00:00Z"}""",
        "[]", "{}", "\"\"", "{\"a\\u0000\":1}",
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Record_parser_rejects_mutated_csv_and_json_records_without_throwing(int seed)
    {
        var random = new Random(seed);
        var context = new SourceContext("fuzz", 0, [new SourceChannelOptions { Name = "temperature" }, new SourceChannelOptions { Name = "vibration" }],
            NullLogger.Instance, TimeSpan.FromHours(1));
        var values = new double[2];
        var valid = new bool[2];
        long accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var json = random.Next(2) == 0;
            var parser = json
                ? new RecordParser(RecordFormat.JsonLines, ["temperature", "vibration"], "time")
                : new RecordParser(RecordFormat.Csv, ["temperature", "vibration"], random.Next(2) == 0 ? "time" : string.Empty);
            if (!json && parser.AwaitingHeader)
            {
                parser.ReadHeader(Mutate(random, Encoding.UTF8.GetBytes(CsvSeeds[0]), light: true));
            }

            var input = Mutate(random, Encoding.UTF8.GetBytes(json ? JsonSeeds[random.Next(JsonSeeds.Length)] : CsvSeeds[1 + random.Next(CsvSeeds.Length - 1)]));
            if (parser.TryParse(input, context, values, valid, out var ticks))
            {
                accepted++;
                ticks.Should().BeInRange(0, DateTime.UtcNow.AddHours(1.01).Ticks, "an accepted record has a plausible time");
            }
        }

        accepted.Should().BeGreaterThan(0, "some mutations stay valid");
        context.Counters.TotalBad.Should().BeGreaterThan(0, "and the rest are rejected, counted by reason");
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Json_field_extractor_survives_mutated_payloads(int seed)
    {
        var random = new Random(seed);
        var extractor = new JsonFieldExtractor(["temperature", "sensors.0.value", "sensors.1.value", "time", "a.b.c.d"]);
        var values = new double[extractor.Count];
        var ticks = new long[extractor.Count];
        for (var i = 0; i < 50_000; i++)
        {
            var input = Mutate(random, Encoding.UTF8.GetBytes(JsonSeeds[random.Next(JsonSeeds.Length)]));
            if (extractor.TryExtract(input, values, ticks, out var found, out _))
            {
                for (var f = 0; f < extractor.Count; f++)
                {
                    if ((found & (1UL << f)) != 0 && ticks[f] == 0)
                    {
                        double.IsNaN(values[f]).Should().BeFalse();
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Timestamp_parser_never_throws_and_returns_ticks_in_range(int seed)
    {
        var random = new Random(seed);
        string[] seeds = ["2024-01-01 00:00:00", "2024-01-01T00:00:00.1234567Z", "2024-12-31T23:59:59-23:59", "1714557620.5", "1714557620123", "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+01:00", "-1e300"];
        for (var i = 0; i < 100_000; i++)
        {
            var input = Mutate(random, Encoding.UTF8.GetBytes(seeds[random.Next(seeds.Length)]));
            if (TimestampParser.TryParse(input, out var ticks))
            {
                ticks.Should().BeInRange(0, DateTime.MaxValue.Ticks);
            }
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Line_reader_returns_every_byte_in_lines_or_counts_it_oversized(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var data = new byte[random.Next(0, 20_000)];
            random.NextBytes(data);
            for (var j = 0; j < data.Length / 20; j++)
            {
                data[random.Next(data.Length)] = (byte)'\n'; // lines of every length, CRs and NULs among them
            }

            var max = random.Next(1, 600);
            using var stream = new ChunkedStream(data, random);
            var reader = new LineReader(stream, max);
            long bytes = 0;
            while (reader.ReadLine(out var line) != LineReader.Result.EndOfStream)
            {
                line.Length.Should().BeLessThanOrEqualTo(Math.Max(64, max), "the reader's buffer is at least 64 bytes");
                bytes += line.Length;
            }

            bytes.Should().BeLessThanOrEqualTo(data.Length);
        }
    }

    /// <summary>Bit flips, byte insertions and deletions, truncation, duplication of a slice, or a splice of junk.</summary>
    private static byte[] Mutate(Random random, byte[] input, bool light = false)
    {
        var bytes = new List<byte>(input);
        var rounds = light ? random.Next(0, 2) : random.Next(0, 6);
        byte[] interesting = [0, (byte)'"', (byte)',', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)':', (byte)'\\', (byte)'-', (byte)'e', (byte)'9', (byte)'.', 0xC3, 0xFF, (byte)'\r', (byte)' '];
        for (var r = 0; r < rounds; r++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.Insert(at, interesting[random.Next(interesting.Length)]);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 4 when bytes.Count > 0:
                    var length = random.Next(1, Math.Min(32, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    var junk = new byte[random.Next(1, 16)];
                    random.NextBytes(junk);
                    bytes.InsertRange(at, junk);
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Hands out the data in random-sized reads, as a pipe or a tty does.</summary>
    private sealed class ChunkedStream(byte[] data, Random random) : MemoryStream(data, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 700)));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, random.Next(1, 700))]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, random.Next(1, 700))], cancellationToken);
    }
}
