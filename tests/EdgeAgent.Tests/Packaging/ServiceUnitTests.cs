using System.Diagnostics;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Packaging;

public sealed class ServiceUnitTests
{
    private static string Unit => File.ReadAllText(RepositoryPaths.File("packaging", "edgeagent.service"));

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        using var dir = new TempDirectory();
        // verify insists that ExecStart's binary exists; point it at a real executable in the copy it checks.
        var unit = dir.Write("edgeagent.service", Unit.Replace("/opt/edgeagent/edgeagent", "/bin/true", StringComparison.Ordinal));
        var info = new ProcessStartInfo("systemd-analyze", ["verify", "--man=no", unit])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var problems = stderr.Split('\n').Where(l => l.Contains("edgeagent.service", StringComparison.Ordinal)).ToList();
        problems.Should().BeEmpty(stderr);
        process.ExitCode.Should().Be(0, stderr);
    }

    /// <summary>The JIT unit as shipped, and the AOT unit as install.sh writes it (MemoryDenyWriteExecute switched on).</summary>
    [Theory]
    [InlineData(false, 1.6)]
    [InlineData(true, 1.6)]
    public async Task Systemd_analyze_security_exposure_is_at_most_the_goal(bool nativeAot, double limit)
    {
        const string writeExecute = "#MemoryDenyWriteExecute=yes\n";
        Unit.Should().Contain(writeExecute, "install.sh switches this line on for the Native AOT build");
        using var dir = new TempDirectory();
        var text = nativeAot ? Unit.Replace(writeExecute, writeExecute[1..], StringComparison.Ordinal) : Unit;
        var unit = dir.Write("edgeagent.service", text);
        var info = new ProcessStartInfo("systemd-analyze", ["security", "--offline=yes", "--no-pager", unit])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var overall = (stdout + stderr).Split('\n').SingleOrDefault(l => l.Contains("Overall exposure level", StringComparison.Ordinal));
        overall.Should().NotBeNull(stdout + stderr);
        var score = double.Parse(overall!.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        // The goal is <= 2.0; the limits are today's scores so that a weakened unit fails here.
        score.Should().BeLessThanOrEqualTo(limit, overall).And.BeLessThanOrEqualTo(2.0);
        if (nativeAot)
        {
            stdout.Should().Contain("✓ MemoryDenyWriteExecute=");
        }
    }

    [Theory]
    [InlineData("Type=notify")]
    [InlineData("WatchdogSec=")]
    [InlineData("Restart=on-failure")]
    [InlineData("RestartPreventExitStatus=78")]
    [InlineData("User=edgeagent")]
    [InlineData("StateDirectory=edgeagent")]
    [InlineData("LogsDirectory=edgeagent")]
    [InlineData("ConfigurationDirectory=edgeagent")]
    [InlineData("NoNewPrivileges=yes")]
    [InlineData("ProtectSystem=strict")]
    [InlineData("ProtectHome=yes")]
    [InlineData("PrivateTmp=yes")]
    [InlineData("CapabilityBoundingSet=\n")]
    [InlineData("SupplementaryGroups=video i2c gpio dialout")]
    [InlineData("ProtectProc=invisible")]
    [InlineData("DevicePolicy=closed")]
    [InlineData("SystemCallFilter=@system-service")]
    [InlineData("SystemCallErrorNumber=EPERM")]
    public void Unit_has_the_required_setting(string setting) => Unit.Should().Contain(setting);
}
