using System.Text.Json;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Status;

/// <summary><c>edgeagent status</c> against the real running agent over its unix socket, and after it stopped.</summary>
public sealed class StatusCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly MosquittoBroker _broker = new();

    [Fact]
    public async Task Status_shows_the_running_agent_as_a_table_and_as_json_and_says_when_it_is_not_running()
    {
        string[] config = ["--config", RepositoryPaths.File("config", "edgeagent.json"), "--set", $"mqtt.port={_broker.Port}",
            "--set", "deviceId=test-device", "--set", $"stateDirectory={_dir.Combine("state")}"];
        using var agent = AgentProcess.Start(["run", .. config]);
        await agent.WaitForLogAsync("Pipeline demo running");

        string table = string.Empty;
        await Poll.UntilAsync(async () =>
        {
            var (code, stdout, _) = await AgentProcess.RunAsync(["status", .. config]);
            table = stdout;
            return code == 0 && stdout.Contains("connected (", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "status showing the broker connected");

        table.Should().StartWith("edgeagent ").And.Contain("on test-device: ");
        table.Should().MatchRegex(@"PIPELINE\s+KIND\s+STATE\s+MODEL\s+ALERT\s+LAST SCORE\s+COUNTS");
        table.Should().MatchRegex(@"demo\s+sensor\s+running\s+demo 1\.0\.0\s+no\s");
        table.Should().Contain($"MQTT     connected (localhost:{_broker.Port}, 1 connection(s) since start)");
        table.Should().MatchRegex(@"Outbox   \d+ waiting \(\d+ B, oldest [0-9.]+ s\), \d+ delivered, 0 dropped, 0 rejected");
        table.Should().MatchRegex(@"COMPONENT\s+HEALTH\s+SUMMARY");

        var (jsonCode, json, _) = await AgentProcess.RunAsync(["status", "--json", .. config]);
        jsonCode.Should().Be(0);
        using (var report = JsonDocument.Parse(json))
        {
            var root = report.RootElement;
            root.GetProperty("device").GetString().Should().Be("test-device");
            root.GetProperty("pid").GetInt32().Should().Be(agent.Id);
            root.GetProperty("pipelines").GetProperty("demo").GetProperty("kind").GetString().Should().Be("sensor");
            root.GetProperty("pipelines").GetProperty("demo").GetProperty("samples").GetInt64().Should().BeGreaterThan(0);
            root.GetProperty("models").GetProperty("demo").GetProperty("version").GetString().Should().Be("1.0.0");
            root.GetProperty("mqtt").GetProperty("state").GetString().Should().Be("connected");
            root.GetProperty("outbox").GetProperty("delivered").GetInt64().Should().BeGreaterThanOrEqualTo(1);
            root.GetProperty("health").GetProperty("components").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Should().Contain(["mqtt", "outbox", "demo"]);
        }

        // Only the agent's user may ask.
        var socket = _dir.Combine("state", "control", "status.sock");
        File.GetUnixFileMode(socket).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(Path.GetDirectoryName(socket)!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        File.Exists(socket).Should().BeFalse("a clean stop removes the socket");

        var (stoppedCode, stoppedOut, stoppedErr) = await AgentProcess.RunAsync(["status", .. config]);
        stoppedCode.Should().Be(69);
        stoppedOut.Should().BeEmpty();
        stoppedErr.Should().Contain($"the agent is not running (no status socket at {socket})").And.Contain("systemctl start edgeagent");
    }

    [Fact]
    public async Task A_socket_left_by_a_killed_agent_says_not_running_and_the_next_start_replaces_it()
    {
        string[] config = ["--config", RepositoryPaths.File("config", "edgeagent.json"), "--set", "mqtt.enabled=false",
            "--set", $"stateDirectory={_dir.Combine("state")}"];
        using (var agent = AgentProcess.Start(["run", .. config]))
        {
            await Poll.UntilAsync(() => File.Exists(_dir.Combine("state", "control", "status.sock")), TimeSpan.FromSeconds(30), "the status socket");
            agent.Signal(AgentProcess.SIGKILL);
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        File.Exists(_dir.Combine("state", "control", "status.sock")).Should().BeTrue("SIGKILL leaves the socket behind");
        var (code, _, stderr) = await AgentProcess.RunAsync(["status", .. config]);
        code.Should().Be(69);
        stderr.Should().Contain("the agent is not running").And.Contain("left from an agent that stopped without cleaning up");

        using var next = AgentProcess.Start(["run", .. config]);
        await next.WaitForLogAsync("Pipeline demo running");
        await Poll.UntilAsync(async () => (await AgentProcess.RunAsync(["status", .. config])).ExitCode == 0, TimeSpan.FromSeconds(30), "status from the new agent");
        next.Signal(AgentProcess.SIGTERM);
        (await next.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, next.StandardError);
    }

    public void Dispose()
    {
        _broker.Dispose();
        _dir.Dispose();
    }
}
