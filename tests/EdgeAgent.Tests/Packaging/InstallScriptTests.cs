using System.Diagnostics;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Packaging;

/// <summary>install.sh --system, staged into a temporary root instead of the live system.</summary>
public sealed class InstallScriptTests
{
    private static Task<(int Code, string Output)> RunInstall(params string[] arguments) => RunInstallWithPath(null, arguments);

    /// <param name="pathPrefix">A directory searched before $PATH (to stand in for a system tool such as getconf).</param>
    private static async Task<(int Code, string Output)> RunInstallWithPath(string? pathPrefix, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash", [RepositoryPaths.File("install.sh"), .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        if (pathPrefix is not null)
        {
            info.Environment["PATH"] = pathPrefix + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task System_install_into_a_staging_root_lays_out_binary_config_and_unit()
    {
        if (!File.Exists(RepositoryPaths.File("artifacts", "edgeagent", "edgeagent")))
        {
            Assert.Fail("artifacts/edgeagent/edgeagent is missing: run ./install.sh before the tests (./install.sh --test does both)");
        }

        using var root = new TempDirectory();
        var (code, output) = await RunInstall("--system", "--destdir", root.Path, "--prefix", "/opt/ea", "--no-build", "--skip-packages");
        code.Should().Be(0, output);
        File.Exists(root.Combine("opt", "ea", "edgeagent")).Should().BeTrue();
        File.Exists(root.Combine("opt", "ea", "libonnxruntime.so")).Should().BeTrue("ONNX Runtime from NuGet travels with the agent");
        Directory.GetFiles(root.Combine("opt", "ea"), "*.dll").Select(Path.GetFileName).Should().NotContain("onnxruntime.dll", "no Windows library in a Linux install");
        File.Exists(root.Combine("etc", "edgeagent", "edgeagent.json")).Should().BeTrue();
        File.ReadAllText(root.Combine("etc", "systemd", "system", "edgeagent.service"))
            .Should().Contain("ExecStart=/opt/ea/edgeagent run --config /etc/edgeagent/edgeagent.json");

        // Re-running keeps the operator's edited configuration and puts the new default beside it.
        File.WriteAllText(root.Combine("etc", "edgeagent", "edgeagent.json"), "{ \"deviceId\": \"edited\" }");
        (await RunInstall("--system", "--destdir", root.Path, "--prefix", "/opt/ea", "--no-build", "--skip-packages")).Code.Should().Be(0);
        File.ReadAllText(root.Combine("etc", "edgeagent", "edgeagent.json")).Should().Contain("edited");
        File.Exists(root.Combine("etc", "edgeagent", "edgeagent.json.default")).Should().BeTrue();
    }

    [Fact]
    public async Task Unknown_option_fails_with_a_reason()
    {
        var (code, output) = await RunInstall("--frobnicate");
        code.Should().NotBe(0);
        output.Should().Contain("unknown option '--frobnicate'");
    }

    [Theory]
    [InlineData("glibc 2.31", "has glibc 2.31, older than 2.34")]
    [InlineData("", "is not glibc")]
    public async Task A_system_below_the_glibc_floor_is_refused_with_the_supported_releases(string getconfOutput, string reason)
    {
        using var bin = new TempDirectory();
        var getconf = bin.Write("getconf", $"#!/bin/sh\n[ \"$1\" = GNU_LIBC_VERSION ] && [ -n \"{getconfOutput}\" ] && echo \"{getconfOutput}\" && exit 0\nexit 1\n");
        File.SetUnixFileMode(getconf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (code, output) = await RunInstallWithPath(bin.Path, "--no-build", "--skip-packages");

        code.Should().NotBe(0);
        output.Should().Contain(reason)
            .And.Contain("EdgeAgent supports Debian 12 (bookworm), Raspberry Pi OS bookworm (64-bit), Ubuntu 22.04 or newer and NVIDIA JetPack 6");
    }

    [Theory]
    [InlineData("--arch", "riscv64", "--arch takes x64 or arm64")]
    [InlineData("--rid", "linux-musl-x64", "--rid takes linux-x64 or linux-arm64")]
    public async Task An_unknown_target_architecture_is_refused(string option, string value, string message)
    {
        var (code, output) = await RunInstall(option, value, "--no-build", "--skip-packages");
        code.Should().NotBe(0);
        output.Should().Contain(message);
    }

    [Fact]
    public async Task Tests_are_not_run_for_a_foreign_architecture()
    {
        var foreign = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64 ? "arm64" : "x64";
        var (code, output) = await RunInstall("--arch", foreign, "--test", "--no-build", "--skip-packages");
        code.Should().NotBe(0);
        output.Should().Contain("--test runs the suite on this machine");
    }

    [Fact]
    public async Task A_wrong_ort_library_is_refused()
    {
        using var dir = new TempDirectory();
        var fake = dir.Write("libonnxruntime.so.1", "not an ELF file at all, just text");
        var (code, output) = await RunInstall("--ort-lib", fake, "--no-build", "--skip-packages");
        code.Should().NotBe(0);
        output.Should().Contain("is not a").And.Contain("ELF library");
    }
}
