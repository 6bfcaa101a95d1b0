using System.Text;
using System.Text.Json;
using EdgeAgent.Cli;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>
/// calibrate and replay on files as users have them, through the real executable: an industrial export (';',
/// decimal commas, a timestamp column of another name, a channel name with spaces, rows out of order), and
/// degenerate normal data.
/// </summary>
public sealed class InputFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_semicolon_export_is_read_with_the_configured_timestamp_column_and_every_dropped_row_is_said()
    {
        // NAB's machine temperature as an industrial export would write it: ';', decimal commas, another timestamp
        // column. It holds 11 rows that go back in time and one duplicate timestamp.
        var nab = File.ReadAllLines(Path.Combine(RepositoryPaths.SharedData, "nab", "machine_temperature_system_failure.csv"));
        var rows = new StringBuilder("Zeit;Volume Flow RateRMS\n");
        foreach (var line in nab.Skip(1))
        {
            var cells = line.Split(',');
            rows.Append(cells[0]).Append(';').Append(cells[1].Replace('.', ',')).Append('\n');
        }

        var input = _dir.Write("export.csv", rows.ToString());
        var model = _dir.Combine("model");
        var config = _dir.Write("flow.json", $$"""
            {
              "pipelines": [ {
                "name": "flow",
                "sources": [ { "type": "replay", "channels": [ { "name": "Volume Flow RateRMS" } ], "replay": { "path": "unused.csv", "timestampField": "Zeit" } } ],
                "window": { "size": 288, "hop": 12, "maxGapSeconds": 21600 },
                "features": [ { "kind": "statistics", "statistics": [ "mean", "std" ] }, { "kind": "standardize" } ],
                "model": { "path": "{{Path.Combine(model, "model.onnx")}}" }
              } ]
            }
            """);

        var calibrated = await AgentProcess.RunAsync(["calibrate", "--config", config, "--input", input, "--take", "15%", "--out", model]);
        calibrated.ExitCode.Should().Be(0, calibrated.Stderr);
        calibrated.Stderr.Should().Contain("12 input value(s) rejected and dropped (11 timestamp backwards, 1 duplicate timestamp)");
        calibrated.Stderr.Should().Contain("'Volume Flow RateRMS' at 2014-01-07 02:00:00 is before the previous sample (2014-01-07 02:55:00); dropped");

        var replay = await AgentProcess.RunAsync(["replay", "--config", config, "--input", input, "--json"]);
        replay.ExitCode.Should().Be(0, replay.Stderr);
        var summary = JsonDocument.Parse(replay.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        summary.GetProperty("samples").GetInt32().Should().Be(nab.Length - 1 - 12, "every row but the twelve dropped ones, decimal commas included");
        replay.Stderr.Should().Contain("12 input value(s) rejected and dropped");
    }

    [Fact]
    public async Task A_header_without_the_configured_timestamp_column_names_it()
    {
        var input = _dir.Write("bad.csv", "time\tvalue\n2024-01-01 00:00:00\t1\n");
        var config = _dir.Write("c.json", """
            { "pipelines": [ { "name": "p", "sources": [ { "type": "replay", "channels": [ { "name": "value" } ],
              "replay": { "path": "unused.csv", "timestampField": "Zeit" } } ], "window": { "size": 4, "hop": 2 },
              "features": [ { "kind": "statistics", "statistics": [ "mean", "std" ] } ] } ] }
            """);

        var calibrated = await AgentProcess.RunAsync(["calibrate", "--config", config, "--input", input, "--out", _dir.Combine("m")]);

        calibrated.ExitCode.Should().Be(ExitCodes.DataError);
        calibrated.Stderr.Should().Contain("the header has no column 'Zeit' (columns: time, value)");
    }

    [Fact]
    public async Task Calibrating_on_degenerate_normal_data_fails_with_a_clear_message_and_writes_nothing()
    {
        // NAB's art_increase_spike_density: its first 15% repeat exactly, so the normal windows have rank 1.
        var model = _dir.Combine("model");
        var config = _dir.Write("nab.json", $$"""
            {
              "pipelines": [ {
                "name": "nab",
                "sources": [ { "type": "replay", "channels": [ { "name": "value" } ], "replay": { "path": "unused.csv" } } ],
                "window": { "size": 288, "hop": 12, "maxGapSeconds": 21600 },
                "features": [ { "kind": "statistics", "statistics": [ "mean", "std" ] }, { "kind": "standardize" } ],
                "model": { "path": "{{Path.Combine(model, "model.onnx")}}" }
              } ]
            }
            """);
        var input = Path.Combine(RepositoryPaths.SharedData, "nab", "art_increase_spike_density.csv");

        var calibrated = await AgentProcess.RunAsync(["calibrate", "--config", config, "--input", input, "--take", "15%", "--out", model]);

        calibrated.ExitCode.Should().Be(ExitCodes.DataError);
        calibrated.Stderr.Should().Contain("calibration is degenerate").And.Contain("nothing was written");
        calibrated.Stdout.Should().NotContain("same decision");
        (Directory.Exists(model) ? Directory.GetFiles(model) : []).Should().BeEmpty();
    }

    public void Dispose() => _dir.Dispose();
}
