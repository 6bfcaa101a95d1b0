using EdgeAgent.Cli;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli;

/// <summary>The real executable, started as systemd would start it.</summary>
[Trait("Category", "Process")]
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Config(string extra = "") => _dir.Write("edgeagent.json", $$"""
        {
          "stateDirectory": "{{_dir.Combine("state")}}",
          "logDirectory": "{{_dir.Combine("logs")}}",
          "mqtt": { "enabled": false }{{extra}}
        }
        """);

    [Fact]
    public async Task Under_systemd_sends_ready_watchdog_and_stopping_then_exits_0_on_sigterm()
    {
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        using var agent = AgentProcess.Start(["run", "--config", Config()], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = listener.Address,
            ["WATCHDOG_USEC"] = "1000000",
            ["JOURNAL_STREAM"] = "8:1234",
        });

        (await listener.WaitForAsync("READY=1", TimeSpan.FromSeconds(60))).Should().Contain("STATUS=");
        await listener.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
        await listener.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));

        agent.Signal(AgentProcess.SIGTERM);
        await listener.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(10));
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(ExitCodes.Ok, agent.StandardError);

        // Console logging under journald carries syslog priorities; the file log was written too.
        agent.StandardError.Should().Contain("<6>").And.Contain("EdgeAgent ready on device");
        Directory.GetFiles(_dir.Combine("logs"), "edgeagent-*.log").Should().ContainSingle()
            .Which.Should().Match(f => File.ReadAllText(f).Contains("EdgeAgent ready on device"));
    }

    [Fact]
    public async Task Invalid_configuration_exits_78_before_starting_and_lists_every_error()
    {
        using var listener = new NotifySocketListener(_dir.Combine("notify.sock"));
        var config = _dir.Write("bad.json", """{ "mqtt": { "port": 0, "colour": "red" }, "telemetry": { "intervalSeconds": -1 } }""");
        var (code, _, stderr) = await AgentProcess.RunAsync(["run", "--config", config],
            new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = listener.Address });
        code.Should().Be(ExitCodes.Config);
        stderr.Should().Contain("mqtt.colour: unknown key 'colour'")
            .And.Contain("mqtt.port: must be 1..65535, got 0")
            .And.Contain("telemetry.intervalSeconds: must be 1..86400, got -1")
            .And.NotContain("   at ", "a user mistake gets no stack trace");
        await Task.Delay(200);
        listener.Received.Should().BeEmpty("nothing may start with a bad configuration");
    }

    [Fact]
    public async Task Check_config_prints_effective_settings_with_exit_0()
    {
        var (code, stdout, _) = await AgentProcess.RunAsync(["check-config", "--config", Config(), "--set", "mqtt.port=1884"]);
        code.Should().Be(ExitCodes.Ok);
        stdout.Should().Contain("\"port\": 1884").And.Contain("\"stateDirectory\"");
    }

    [Fact]
    public async Task Unwritable_log_directory_exits_73_with_the_fix()
    {
        var blocker = _dir.Write("not-a-directory", "x");
        var config = _dir.Write("c.json", $$"""{ "stateDirectory": "{{_dir.Combine("state")}}", "logDirectory": "{{blocker}}/logs" }""");
        var (code, _, stderr) = await AgentProcess.RunAsync(["run", "--config", config]);
        code.Should().Be(ExitCodes.CantCreate);
        stderr.Should().Contain("logDirectory").And.Contain("cannot be created or written").And.Contain("Fix:");
    }

    [Fact]
    public async Task A_NOTIFY_SOCKET_that_does_not_exist_is_reported_and_the_agent_runs_on()
    {
        using var agent = AgentProcess.Start(["run", "--config", Config()], new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = _dir.Combine("absent.sock"),
        });
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!agent.StandardError.Contains("cannot notify systemd", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        agent.StandardError.Should().Contain("cannot notify systemd through").And.Contain("absent.sock");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(ExitCodes.Ok);
    }

    [Fact]
    public async Task Unknown_verb_is_a_usage_error()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(["frobnicate"]);
        code.Should().Be(ExitCodes.Usage);
        stderr.Should().Contain("frobnicate");
    }

    public void Dispose() => _dir.Dispose();
}
