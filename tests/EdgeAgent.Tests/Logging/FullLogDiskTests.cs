using System.Diagnostics;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Logging;

/// <summary>
/// Issue 17, defect 6 (the logging half): with file logging on a full disk the agent died with exit 1 from Serilog's
/// IOException. The real executable logs into a full 64 KiB tmpfs (mounted when the test runs as root; without
/// root, the day's log file is a link to /dev/full, which fails every write with ENOSPC), runs, and stops cleanly
/// with exit 0, saying what was lost.
/// </summary>
public sealed class FullLogDiskTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private bool _mounted;

    [Fact]
    public async Task A_log_file_that_cannot_be_written_never_stops_the_agent()
    {
        var logs = _dir.Combine("logs");
        Directory.CreateDirectory(logs);
        _mounted = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", logs) == 0;
        if (_mounted)
        {
            Run("dd", "if=/dev/zero", $"of={Path.Combine(logs, "fill")}", "bs=1k", "count=128"); // fails when full: that is the point
        }
        else
        {
            foreach (var day in new[] { DateTime.Now, DateTime.Now.AddDays(1) })
            {
                File.CreateSymbolicLink(Path.Combine(logs, $"edgeagent-{day:yyyyMMdd}.log"), "/dev/full");
            }
        }

        using var agent = AgentProcess.Start(
        [
            "run", "--config", RepositoryPaths.File("config", "edgeagent.json"),
            "--set", "mqtt.port=1",
            "--set", $"stateDirectory={_dir.Combine("state")}",
            "--set", $"logDirectory={logs}",
            "--set", "logging.file.enabled=true",
            "--set", "logging.file.flushIntervalSeconds=1",
        ]);
        await agent.WaitForLogAsync("EdgeAgent ready");
        await Task.Delay(TimeSpan.FromSeconds(3)); // periodic flushes into the full file
        agent.Signal(AgentProcess.SIGTERM);

        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().Be(0, agent.StandardError);
        agent.StandardError.Should().Contain("the log file could not be flushed").And.NotContain("Unhandled exception");
    }

    private static int Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", _dir.Combine("logs"));
        }

        _dir.Dispose();
    }
}
