using System.Diagnostics;
using EdgeAgent.Cli.Doctor;
using EdgeAgent.Pipelines.Tests.Support;
using EdgeAgent.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Cli.Doctor;

/// <summary>The doctor on this machine's devices and disks: missing device nodes, a full disk, a disk smaller than the outbox's cap.</summary>
public sealed class DoctorMachineTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _mounts = [];

    [Fact]
    public async Task Missing_devices_are_named_per_source_with_the_fix()
    {
        // Sysfs as a directory tree of our own: one hwmon attribute present, the serial port and the I2C bus missing.
        var hwmon = _dir.Combine("sys", "class", "hwmon", "hwmon0");
        Directory.CreateDirectory(hwmon);
        File.WriteAllText(Path.Combine(hwmon, "name"), "cpu_thermal\n");
        File.WriteAllText(Path.Combine(hwmon, "temp1_input"), "48000\n");
        var run = await DoctorRun.RunAsync("mqtt.enabled=false", $"stateDirectory={_dir.Combine("state")}",
            "pipelines[0].sources[0].type=serial", "pipelines[0].sources[0].serial.device=/dev/ttyEA-missing",
            "pipelines[0].sources[1].type=i2c", "pipelines[0].sources[1].name=bus", "pipelines[0].sources[1].i2c.device=/dev/i2c-77",
            "pipelines[0].sources[1].i2c.registers[0].register=0", "pipelines[0].sources[1].channels[0].name=adc",
            "pipelines[0].sources[2].type=hwmon", "pipelines[0].sources[2].name=board", $"pipelines[0].sources[2].sysfs.root={_dir.Combine("sys")}",
            "pipelines[0].sources[2].sysfs.device=hwmon0", "pipelines[0].sources[2].channels[0].name=cpu", "pipelines[0].sources[2].channels[0].field=temp1");

        run.ExitCode.Should().Be(2);
        run.Checks["source demo/machine"].Should().Be(("error", "serial port /dev/ttyEA-missing does not exist",
            "plug the device in or fix serial.device (ls /dev/serial/by-id/); the agent's user needs the dialout group"), run.Output);
        run.Checks["source demo/bus"].Verdict.Should().Be("error");
        run.Checks["source demo/bus"].Reason.Should().Be("I2C bus /dev/i2c-77 does not exist");
        run.Checks["source demo/bus"].Fix.Should().Contain("i2c group");
        run.Checks["source demo/board"].Verdict.Should().Be("ok", run.Output);
        run.Checks["source demo/board"].Reason.Should().Contain(Path.Combine(hwmon, "temp1_input"));
    }

    [Fact]
    public async Task A_sensor_pipeline_without_a_model_is_ok_because_the_built_in_detector_serves_it()
    {
        // As at start-up and in replay/evaluate (ModelResolver's null): not an error for a sensor pipeline.
        var run = await DoctorRun.RunAsync("mqtt.enabled=false", $"stateDirectory={_dir.Combine("state")}", "pipelines[0].model.path=");

        run.Checks["model demo"].Should().Be(("ok", "no model configured or deployed: the built-in detector scores the features", string.Empty), run.Output);
        Directory.Exists(_dir.Combine("state", "models")).Should().BeFalse("the doctor reads the store, it makes none");
    }

    [Fact]
    public void A_device_the_service_user_cannot_read_is_named_with_owner_group_and_mode()
    {
        var device = _dir.Write("ttyFAKE", string.Empty);
        File.SetUnixFileMode(device, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var nobody = UnixAccount.Of("nobody", []);
        nobody.Exists.Should().BeTrue("every Debian has the user nobody");
        var owner = Environment.UserName;

        nobody.CannotAccess(device, write: false).Should().StartWith($"nobody cannot read it (owned by {owner}:").And.Contain("mode 600; nobody is not in group");
        UnixAccount.Of(owner, []).CannotAccess(device, write: true).Should().BeNull();
    }

    [Fact]
    public async Task A_full_disk_and_a_disk_smaller_than_the_outbox_cap_are_named()
    {
        // A small tmpfs is a real full disk; where mounting is not allowed, only the cap case below runs.
        var mount = _dir.Combine("small");
        Directory.CreateDirectory(mount);
        if (Mount(mount, "4m"))
        {
            var state = Path.Combine(mount, "state");
            Directory.CreateDirectory(state);
            Fill(Path.Combine(mount, "filler"));
            var full = await DoctorRun.RunAsync("mqtt.enabled=false", "pipelines[0].enabled=false", $"stateDirectory={state}");
            full.ExitCode.Should().Be(2);
            full.Checks["state.free-space"].Verdict.Should().Be("error", full.Output);
            full.Checks["state.free-space"].Reason.Should().StartWith("the disk is full: 0 KiB free");
            full.Checks["state.free-space"].Fix.Should().Contain("free space on that disk");
            full.Checks["state.writable"].Verdict.Should().Be("error");
            full.Checks["state.writable"].Reason.Should().StartWith($"stateDirectory {state} cannot be written: No space left on device");
        }

        // Free space below outbox.maxMegabytes: the disk fills before the cap does. On a 16 MiB tmpfs the default cap of
        // 100 MiB is too much; without a mount, the largest cap allowed is compared with this disk's free space.
        var small = _dir.Combine("medium");
        Directory.CreateDirectory(small);
        var mounted = Mount(small, "16m");
        var cap = mounted ? 100 : 65536;
        var capped = await DoctorRun.RunAsync("mqtt.enabled=false", "pipelines[0].enabled=false", $"stateDirectory={Path.Combine(small, "state")}",
            $"outbox.maxMegabytes={cap}");
        var fits = new DriveInfo(small).AvailableFreeSpace >= cap * 1024L * 1024;
        capped.Checks["state.free-space"].Verdict.Should().Be(fits ? "ok" : "warning", capped.Output);
        capped.Checks["state.free-space"].Reason.Should().Contain($"of its {cap} MiB cap (outbox.maxMegabytes)");
        if (!fits)
        {
            capped.Checks["state.free-space"].Reason.Should().Contain("the disk fills before the cap");
            capped.Checks["state.free-space"].Fix.Should().StartWith("lower outbox.maxMegabytes to ");
            capped.ExitCode.Should().BeGreaterThanOrEqualTo(1);
        }
    }

    private bool Mount(string path, string size)
    {
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path]) { RedirectStandardError = true })!;
        mount.WaitForExit();
        if (mount.ExitCode == 0)
        {
            _mounts.Add(path);
        }

        return mount.ExitCode == 0;
    }

    private static void Fill(string file)
    {
        using var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0); // unbuffered: no flush left to fail at Dispose
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
        }

        // The last partial block: byte by byte until the filesystem has nothing left.
        try
        {
            while (true)
            {
                stream.WriteByte(1);
                stream.Flush();
            }
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var mount in _mounts)
        {
            Process.Start("umount", [mount]).WaitForExit();
        }

        _dir.Dispose();
    }
}
