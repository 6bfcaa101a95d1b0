using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>
/// Issue 17, defect 5: a recording with one line dated 9999-12-31 lost a quarter of its samples silently (every
/// later line was "backwards" of it). Now that line alone is skipped, and the summary says so and why.
/// </summary>
public sealed class ReplaySkippedInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task One_line_dated_9999_is_skipped_named_in_the_summary_and_every_other_sample_is_used()
    {
        var config = RepositoryPaths.File("config", "edgeagent.json");
        var csv = _dir.Combine("normal.csv");
        (await AgentProcess.RunAsync(["simulate", "--config", config, "--seconds", "1200", "--normal", "--out", csv])).ExitCode.Should().Be(0);
        var lines = File.ReadAllLines(csv);
        var rows = lines.Length - 1;
        var bad = lines[9000].Split(',');
        bad[0] = "9999-12-31T23:59:58Z";
        lines[9000] = string.Join(',', bad);
        File.WriteAllLines(csv, lines);

        var json = await AgentProcess.RunAsync(["replay", "--config", config, "--input", csv, "--json"]);
        json.ExitCode.Should().Be(0, json.Stderr);
        var summary = JsonDocument.Parse(json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        summary.GetProperty("samples").GetInt32().Should().Be((rows - 1) * 2, "two channels per line, every line but the bad one");
        summary.GetProperty("skipped").GetProperty("timestampInFuture").GetInt64().Should().Be(1);
        summary.GetProperty("skipped").EnumerateObject().Should().ContainSingle();

        var plain = await AgentProcess.RunAsync(["replay", "--config", config, "--input", csv]);
        plain.ExitCode.Should().Be(0, plain.Stderr);
        plain.Stderr.Should().Contain("replay: skipped 1 input(s): 1 timestampInFuture");
    }

    public void Dispose() => _dir.Dispose();
}
