using EdgeAgent.Cli.Doctor;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli.Doctor;

/// <summary>What the doctor reads from the unit the installer ships: the user, its device groups, the watchdog.</summary>
public sealed class ServiceUnitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_shipped_unit_is_found_where_systemd_looks_and_read_like_systemd_reads_it()
    {
        var installed = _dir.Combine("etc", "systemd", "system");
        Directory.CreateDirectory(installed);
        File.Copy(RepositoryPaths.File("packaging", "edgeagent.service"), Path.Combine(installed, "edgeagent.service"));

        var unit = ServiceUnit.Find(_dir.Path)!;
        unit.Path.Should().Be(Path.Combine(installed, "edgeagent.service"));
        unit.User.Should().Be("edgeagent");
        unit.SupplementaryGroups.Should().Equal("video", "i2c", "gpio", "dialout");
        unit.Watchdog.Should().Be(TimeSpan.FromSeconds(30));
        SystemChecks.Systemd(unit).Verdict.Should().Be(DoctorVerdict.Ok);

        var noWatchdog = ServiceUnit.Parse("/x/edgeagent.service", ["[Service]", "User=edgeagent", "# WatchdogSec=30s"]);
        noWatchdog.Watchdog.Should().Be(TimeSpan.Zero);
        SystemChecks.Systemd(noWatchdog).Should().Be(DoctorCheck.Warning("systemd", "/x/edgeagent.service has no watchdog: a wedged agent is never restarted",
            "set WatchdogSec=30s in the unit (the bundled packaging/edgeagent.service has it), then 'sudo systemctl daemon-reload'"));
        ServiceUnit.Parse("u", ["WatchdogSec=1min"]).Watchdog.Should().Be(TimeSpan.FromMinutes(1));
        ServiceUnit.Find(_dir.Combine("empty")).Should().BeNull();
    }

    public void Dispose() => _dir.Dispose();
}
