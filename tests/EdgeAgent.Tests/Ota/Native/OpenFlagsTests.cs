using System.Diagnostics;
using EdgeAgent.Ota.Native;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Tests.Ota.Native;

/// <summary>The per-architecture open(2) flags against this machine's C headers (gcc prints them).</summary>
public sealed class OpenFlagsTests : IDisposable
{
    private readonly TempDirectory _dir = new("edgeagent-openflags");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_flags_match_the_C_headers_of_this_architecture()
    {
        var source = _dir.Write("flags.c", """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <stdio.h>
            int main(void) { printf("%d %d %d %d\n", O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK, O_CLOEXEC); return 0; }
            """);
        var binary = _dir.Combine("flags");
        Run("gcc", source, "-o", binary).Should().BeEmpty();
        var values = Run(binary).Trim().Split(' ').Select(int.Parse).ToArray();
        values.Should().Equal(OpenFlags.NoFollow, OpenFlags.Directory, OpenFlags.NonBlock, OpenFlags.CloseOnExec);
    }

    private static string Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, error);
        return output;
    }
}
