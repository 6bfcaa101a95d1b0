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
    public void Unit_has_the_required_setting(string setting) => Unit.Should().Contain(setting);
}
