using System.Diagnostics;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Packaging;

/// <summary>install.sh --system, staged into a temporary root instead of the live system.</summary>
public sealed class InstallScriptTests
{
    private static async Task<(int Code, string Output)> RunInstall(params string[] arguments)
    {
        var info = new ProcessStartInfo("bash", [RepositoryPaths.File("install.sh"), .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
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
        File.Exists(root.Combine("opt", "ea", "libonnxruntime.so.1")).Should().BeTrue();
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
