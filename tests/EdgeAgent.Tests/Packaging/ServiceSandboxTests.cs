using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Packaging;

/// <summary>
/// The real executable under the sandbox packaging/edgeagent.service asks systemd for: /proc limited to our own
/// processes (ProtectProc=invisible), the system-call allow-list, NoNewPrivileges and, for the Native
/// AOT build, MemoryDenyWriteExecute. systemd is not PID 1 where the tests run (containers, CI), so systemd-run cannot
/// apply them; unit-sandbox.py applies them the way systemd 252 (Debian 12) does, read from the unit file itself.
/// </summary>
[Trait("Category", "Process")]
public sealed class ServiceSandboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string Unit => RepositoryPaths.File("packaging", "edgeagent.service");

    private static string Sandbox => RepositoryPaths.File("tests", "EdgeAgent.Tests", "Packaging", "unit-sandbox.py");

    /// <summary>The unit as install.sh installs it for the build under test: the AOT build also gets MemoryDenyWriteExecute.</summary>
    private static List<string> Launcher(params string[] extra) =>
        ["/usr/bin/python3", Sandbox, Unit, .. AgentProcess.IsNativeAot ? ["--set", "MemoryDenyWriteExecute=yes"] : Array.Empty<string>(), .. extra, "--"];

    [Fact]
    public async Task The_sandbox_really_restricts_proc_system_calls_and_writable_executable_memory()
    {
        // A test of the emulation itself: without it, the agent's test below could pass with nothing applied.
        const string probe = """
            import mmap, os
            print([line.split(" - ")[1] for line in open("/proc/self/mountinfo") if " /proc " in line and " - proc " in line][-1])
            try:
                os.setgroups(os.getgroups()); print("setgroups allowed")
            except PermissionError:
                print("setgroups refused")
            try:
                mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC); print("wx allowed")
            except OSError:
                print("wx refused")
            """;
        using var process = AgentProcess.Start([], launcher: ["/usr/bin/python3", Sandbox, Unit, "--set", "MemoryDenyWriteExecute=yes", "--", "/usr/bin/python3", "-c", probe]);
        (await process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, process.StandardError);
        process.StandardOutput.Should().Contain("hidepid=invisible").And.Contain("setgroups refused").And.Contain("wx refused");
    }

    [Fact]
    public async Task The_demo_runs_under_the_units_sandbox_and_stops_cleanly()
    {
        using var broker = new MosquittoBroker();
        using var subscriber = new MqttSubscriber(broker.Port, "edgeagent/sandboxed/events/demo");
        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", $"mqtt.port={broker.Port}",
            "--set", "deviceId=sandboxed",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].atSeconds=3",
            "--set", "pipelines[0].sources[0].simulated.anomalies[0].durationSeconds=30",
            "--set", "pipelines[0].sources[0].simulated.anomalies[1].atSeconds=200",
        ], launcher: Launcher());

        try
        {
            await subscriber.WaitForAsync(
                m => m.Any(e => e.Payload.Contains("\"anomaly_start\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(90), "anomaly_start");
        }
        catch (TimeoutException ex)
        {
            throw agent.WithStandardError(ex);
        }

        agent.Signal(AgentProcess.SIGTERM);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        agent.StandardError.Should().NotContain("unit-sandbox:");
    }

    [Fact]
    public async Task Models_bench_runs_onnx_runtime_under_the_units_sandbox()
    {
        using var bench = AgentProcess.Start(
            ["models", "bench", RepositoryPaths.File("models", "demo", "model.onnx"), "--runs", "200", "--warmup", "20", "--threads", "2", "--json"],
            launcher: Launcher());
        (await bench.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(0, bench.StandardError);
        bench.StandardOutput.Should().Contain("\"median_us\"");
    }

    public void Dispose() => _dir.Dispose();
}
