using System.Text.Json;
using EdgeAgent.Cli;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Configuration;

/// <summary>
/// The configuration tools reflect over the options classes (shape check, validation, schema, effective config).
/// Run in the real executable, these prove a trimmed Native AOT build kept every options property, its attributes
/// and its defaults: an AOT build that lost them reports "unknown key 'mqtt'" or prints an empty schema.
/// </summary>
[Trait("Category", "Process")]
public sealed class ConfigurationProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Schema_verb_prints_the_checked_in_schema()
    {
        var (code, stdout, stderr) = await AgentProcess.RunAsync(["schema"]);
        code.Should().Be(ExitCodes.Ok, stderr);
        stdout.Should().Be(File.ReadAllText(RepositoryPaths.File("config", "edgeagent.schema.json")));
    }

    [Fact]
    public async Task Check_config_binds_every_section_of_the_example_and_prints_it_back()
    {
        var state = _dir.Combine("state");
        var (code, stdout, stderr) = await AgentProcess.RunAsync(
            ["check-config", "--config", RepositoryPaths.File("config", "edgeagent.json"),
             "--set", $"stateDirectory={state}", "--set", "mqtt.port=1884", "--set", "mqtt.keepAliveSeconds=45"]);
        code.Should().Be(ExitCodes.Ok, stderr);

        using var effective = JsonDocument.Parse(stdout);
        var mqtt = effective.RootElement.GetProperty("mqtt");
        mqtt.GetProperty("port").GetInt32().Should().Be(1884);
        mqtt.GetProperty("keepAliveSeconds").GetInt32().Should().Be(45);
        effective.RootElement.GetProperty("stateDirectory").GetString().Should().Be(state);
        effective.RootElement.GetProperty("pipelines").GetArrayLength().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Check_config_reports_unknown_keys_wrong_types_and_ranges_at_once()
    {
        var config = _dir.Write("bad.json", """
            { "mqtt": { "port": "x1", "hots": "h", "tls": { "enabled": "maybe" } }, "telemetry": { "intervalSeconds": 0 },
              "outbox": { "maxMegabytes": 1.5, "synchronous": "sometimes" } }
            """);
        var (code, _, stderr) = await AgentProcess.RunAsync(["check-config", "--config", config]);
        code.Should().Be(ExitCodes.Config);
        stderr.Should().Contain("mqtt.hots: unknown key 'hots'; did you mean 'host'?")
            .And.Contain("mqtt.port: must be a whole number, got 'x1'")
            .And.Contain("mqtt.tls.enabled: must be true or false, got 'maybe'")
            .And.Contain("outbox.maxMegabytes: must be a whole number, got '1.5'")
            .And.Contain("outbox.synchronous: must be one of")
            .And.Contain("telemetry.intervalSeconds: must be 1..86400, got 0")
            .And.NotContain("unknown key 'mqtt'");
    }

    public void Dispose() => _dir.Dispose();
}
