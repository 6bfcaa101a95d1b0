using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Hosting;

/// <summary>
/// The host's last line of defence, with the real executable: a loop that faults or an unhandled exception must end
/// the process with a non-zero status (systemd's Restart=on-failure restarts only those), saying why; a clean
/// SIGTERM still exits 0.
/// </summary>
public sealed class HostFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string[] Arguments() =>
    [
        "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
        "--set", "mqtt.port=1", // no broker needed: a fault must stop the agent all the same
        "--set", $"stateDirectory={_dir.Combine("state")}",
    ];

    [Fact]
    public async Task A_faulted_background_loop_stops_the_agent_with_a_failure_status_and_the_reason()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(Arguments(),
            new Dictionary<string, string?> { ["EDGEAGENT_INJECT_FAULT"] = "background" }, TimeSpan.FromSeconds(60));

        code.Should().Be(1, stderr);
        stderr.Should().Contain("stopped on an error: FaultingLoop: InvalidOperationException: fault injected");
    }

    [Fact]
    public async Task An_unhandled_exception_on_any_thread_ends_the_agent_with_a_failure_status()
    {
        var (code, _, stderr) = await AgentProcess.RunAsync(Arguments(),
            new Dictionary<string, string?> { ["EDGEAGENT_INJECT_FAULT"] = "thread" }, TimeSpan.FromSeconds(60));

        code.Should().NotBe(0, stderr);
        stderr.Should().Contain("stopped on an unhandled exception: fault injected by EDGEAGENT_INJECT_FAULT=thread");
    }

    [Fact]
    public async Task A_requested_stop_still_exits_0()
    {
        using var agent = AgentProcess.Start(Arguments());
        await agent.WaitForLogAsync("EdgeAgent ready");
        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
    }

    public void Dispose() => _dir.Dispose();
}
