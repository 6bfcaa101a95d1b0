using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Configuration;

/// <summary>
/// Mistakes the configuration binder cannot see once JSON is flattened into keys, through the real executable:
/// a key given twice, a section written as null or an array. Each is a clear message and exit 78 (EX_CONFIG,
/// which the unit's RestartPreventExitStatus does not restart), never a stack trace or a silent default.
/// </summary>
public sealed class ConfigStructureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("{\n  \"deviceId\": \"a\",\n  \"deviceId\": \"b\"\n}", "deviceId: ", "the key 'deviceId' appears more than once")]
    [InlineData("{ \"mqtt\": { \"port\": 1884, \"Port\": 1885 } }", "mqtt.Port: ", "the key 'Port' appears more than once")]
    [InlineData("{ \"mqtt\": [] }", "mqtt: ", "must be an object, got an empty array")]
    [InlineData("{ \"mqtt\": null }", "mqtt: ", "must be an object, got null")]
    [InlineData("{ \"outbox\": { \"batching\": [1] } }", "outbox.batching: ", "must be an object, got an array")]
    [InlineData("{ \"pipelines\": {} }", "pipelines: ", "must be an array, got an object")]
    [InlineData("{ \"pipelines\": null }", "pipelines: ", "must be an array, got null")]
    public async Task Is_refused_with_a_clear_message_and_exit_78(string json, string path, string message)
    {
        var file = _dir.Write("c.json", json);
        foreach (var verb in new[] { "check-config", "run" })
        {
            var (code, stdout, stderr) = await AgentProcess.RunAsync([verb, "--config", file, "--set", $"stateDirectory={_dir.Combine("state")}"]);
            code.Should().Be(78, stdout + stderr);
            stderr.Should().Contain(path).And.Contain(message).And.NotContain("   at ", "no stack trace");
        }
    }

    public void Dispose() => _dir.Dispose();
}
