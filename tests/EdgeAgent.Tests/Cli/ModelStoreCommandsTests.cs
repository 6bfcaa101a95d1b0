using System.Text.Json;
using EdgeAgent.Cli;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>The publisher's tools and the device's store, through the real executable.</summary>
[Trait("Category", "Process")]
public sealed class ModelStoreCommandsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Keygen_sign_verify_install_status_rollback()
    {
        (await AgentProcess.RunAsync(["models", "keygen", "--out", _dir.Combine("keys")])).ExitCode.Should().Be(0);
        var config = _dir.Write("edgeagent.json", $$"""
            {
              "stateDirectory": "{{_dir.Combine("state")}}",
              "pipelines": [ { "name": "line1" } ],
              "ota": { "trustedKeys": [ "{{_dir.Combine("keys", "signing.pub")}}" ] }
            }
            """);

        string Publish(string version)
        {
            _dir.Write($"m{version}/model.onnx", $"model bytes {version}");
            _dir.Write($"m{version}/model.json", $$"""{ "name": "vib", "version": "{{version}}" }""");
            return _dir.Combine($"m{version}");
        }

        foreach (var version in new[] { "1", "2" })
        {
            var signed = await AgentProcess.RunAsync(["models", "sign", "--key", _dir.Combine("keys", "signing.key"), Publish(version)]);
            signed.ExitCode.Should().Be(0, signed.Stderr);
            var bundle = _dir.Combine($"vib-{version}.tar");
            File.Exists(bundle).Should().BeTrue();
            (await AgentProcess.RunAsync(["models", "verify", bundle, "--key", _dir.Combine("keys", "signing.pub")])).Stdout.Should().Contain($"OK: vib {version}");
            var installed = await AgentProcess.RunAsync(["models", "install", bundle, "--pipeline", "line1", "--config", config]);
            installed.ExitCode.Should().Be(0, installed.Stderr);
        }

        var status = await AgentProcess.RunAsync(["models", "status", "--json", "--config", config]);
        using (var json = JsonDocument.Parse(status.Stdout))
        {
            var line1 = json.RootElement.GetProperty("pipelines").GetProperty("line1");
            line1.GetProperty("version").GetString().Should().Be("2");
            line1.GetProperty("previous").GetProperty("version").GetString().Should().Be("1");
        }

        (await AgentProcess.RunAsync(["models", "rollback", "--pipeline", "line1", "--config", config])).Stdout.Should().Contain("now runs vib 1");
    }

    [Fact]
    public async Task Status_reads_the_store_as_the_agent_left_it()
    {
        var config = _dir.Write("edgeagent.json", $$"""
            { "stateDirectory": "{{_dir.Combine("state")}}", "pipelines": [ { "name": "line1" } ] }
            """);

        // No store yet: said as empty, and none is made.
        var empty = await AgentProcess.RunAsync(["models", "status", "--json", "--config", config]);
        empty.ExitCode.Should().Be(0, empty.Stderr);
        Directory.Exists(_dir.Combine("state", "models")).Should().BeFalse();

        // An update the running agent is installing, and a state file it cannot read: both left as they are.
        var installing = Directory.CreateDirectory(_dir.Combine("state", "models", ".staging", "in-progress")).FullName;
        var state = _dir.Write("state/models/active.json", "{ not json");
        var damaged = await AgentProcess.RunAsync(["models", "status", "--config", config]);
        damaged.ExitCode.Should().Be(0, damaged.Stderr);
        damaged.Stderr.Should().Contain("cannot be read");
        Directory.Exists(installing).Should().BeTrue();
        File.ReadAllText(state).Should().Be("{ not json");
    }

    [Fact]
    public async Task Verify_with_the_wrong_key_and_install_of_an_unsigned_bundle_are_rejected()
    {
        await AgentProcess.RunAsync(["models", "keygen", "--out", _dir.Combine("a")]);
        await AgentProcess.RunAsync(["models", "keygen", "--out", _dir.Combine("b")]);
        _dir.Write("m/model.onnx", "bytes");
        _dir.Write("m/model.json", """{ "name": "vib", "version": "1" }""");
        (await AgentProcess.RunAsync(["models", "sign", "--key", _dir.Combine("a", "signing.key"), _dir.Combine("m")])).ExitCode.Should().Be(0);

        var wrongKey = await AgentProcess.RunAsync(["models", "verify", _dir.Combine("vib-1.tar"), "--key", _dir.Combine("b", "signing.pub")]);
        wrongKey.ExitCode.Should().Be(ExitCodes.DataError);
        wrongKey.Stderr.Should().Contain("rejected (UntrustedKey)");

        File.Delete(_dir.Combine("m", "model.sig"));
        var config = _dir.Write("c.json", $$"""{ "stateDirectory": "{{_dir.Combine("state")}}" }""");
        var unsigned = await AgentProcess.RunAsync(["models", "install", _dir.Combine("m"), "--config", config]);
        unsigned.ExitCode.Should().Be(ExitCodes.DataError);
        unsigned.Stderr.Should().Contain("rejected (Unsigned)");
    }

    public void Dispose() => _dir.Dispose();
}
