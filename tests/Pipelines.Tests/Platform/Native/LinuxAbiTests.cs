using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using EdgeAgent.Pipelines.Platform.Native;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Platform.Native;

/// <summary>
/// Checks every entry of the x64 and arm64 tables against the C headers: linux_abi_probe.c is compiled for each
/// architecture (gcc for this machine's, Debian's cross gcc for the other; install.sh --test installs both) to
/// assembly, where each value is an immediate, so the foreign values are read without running foreign code. The
/// native probe also runs, to check that reading the assembly gives what the C program prints.
/// </summary>
public sealed partial class LinuxAbiTests : IDisposable
{
    private readonly TempDirectory _directory = new("linux-abi");

    public static TheoryData<string> Architectures => ["X64", "Arm64"];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_constant_and_layout_matches_the_C_headers(string architecture)
    {
        var abi = LinuxAbi.For(Enum.Parse<Architecture>(architecture));
        var expected = Expectations(abi);

        var actual = CompileToAssembly(Compiler(abi.Architecture), expected.Keys);

        actual.Should().HaveCount(expected.Count, "the probe emits one value per table entry");
        foreach (var (name, value) in expected)
        {
            actual[name].Should().Be(value, $"{name} on {architecture} is {actual[name]} (0x{actual[name]:X}) in the C headers");
        }
    }

    [Fact]
    public void The_native_probe_prints_what_its_assembly_says()
    {
        var names = Expectations(LinuxAbi.Current).Keys;
        var fromAssembly = CompileToAssembly("gcc", names);

        var program = _directory.Combine("probe");
        Run("gcc", ["-DPROBE_RUN", "-I", _directory.Path, "-o", program, ProbeSource]);
        var printed = Run(program, []).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1], CultureInfo.InvariantCulture));

        printed.Should().Equal(fromAssembly);
    }

    [Fact]
    public void The_architectures_differ_where_the_headers_do()
    {
        // The value that broke start-up on arm64: 0x10000 is O_DIRECT there.
        LinuxAbi.X64.O_DIRECTORY.Should().Be(0x10000);
        LinuxAbi.Arm64.O_DIRECTORY.Should().Be(0x4000);
        LinuxAbi.Current.Architecture.Should().Be(RuntimeInformation.ProcessArchitecture);
    }

    [Theory]
    [InlineData("termios", typeof(Libc.Termios))]
    [InlineData("pollfd", typeof(Libc.PollFd))]
    [InlineData("i2c_msg", typeof(I2cBus.I2cMsg))]
    [InlineData("i2c_rdwr_ioctl_data", typeof(I2cBus.I2cRdwrIoctlData))]
    [InlineData("mallinfo2", typeof(Libc.mallinfo2_t))]
    public void Each_interop_struct_has_the_C_layout_of_both_architectures(string name, Type type)
    {
        foreach (var abi in new[] { LinuxAbi.X64, LinuxAbi.Arm64 })
        {
            var layout = abi.Layouts.Single(l => l.Name == name);
            Marshal.SizeOf(type).Should().Be(layout.Size, $"sizeof(struct {name}) on {abi.Architecture}");
            type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name)
                .Should().BeEquivalentTo(layout.Members.Select(m => m.Member), "every member we declare is checked");
            foreach (var (member, offset) in layout.Members)
            {
                Marshal.OffsetOf(type, member).Should().Be(offset, $"offsetof(struct {name}, {member}) on {abi.Architecture}");
            }
        }
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The build machine's own gcc for its architecture, the Debian cross compiler for the other.</summary>
    private static string Compiler(Architecture target) =>
        target == RuntimeInformation.ProcessArchitecture ? "gcc"
        : target == Architecture.Arm64 ? "aarch64-linux-gnu-gcc" : "x86_64-linux-gnu-gcc";

    private static string ProbeSource => Path.Combine(AppContext.BaseDirectory, "Platform", "Native", "linux_abi_probe.c");

    /// <summary>Every value of the table under the name the probe gives it (the C macro's own name where there is one).</summary>
    private static Dictionary<string, long> Expectations(LinuxAbi abi)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var property in typeof(LinuxAbi).GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            var value = property.GetValue(abi);
            switch (value)
            {
                case nuint n:
                    values[property.Name] = (long)n;
                    break;
                case int or uint or short or ushort:
                    values[property.Name] = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    break;
            }
        }

        foreach (var (rate, speed) in abi.BaudRates)
        {
            values["B" + rate.ToString(CultureInfo.InvariantCulture)] = speed;
        }

        foreach (var layout in abi.Layouts)
        {
            values[$"sizeof:{layout.Name}"] = layout.Size;
            foreach (var (member, offset) in layout.Members)
            {
                values[$"offsetof:{layout.Name}.{member}"] = offset;
            }
        }

        return values;
    }

    private static string CExpression(string name) => name switch
    {
        _ when name.StartsWith("sizeof:", StringComparison.Ordinal) => $"sizeof(struct {name[7..]})",
        _ when name.StartsWith("offsetof:", StringComparison.Ordinal) => $"offsetof(struct {name[9..].Split('.')[0]}, {name[9..].Split('.')[1]})",
        _ => name,
    };

    private Dictionary<string, long> CompileToAssembly(string compiler, IEnumerable<string> names)
    {
        var header = new StringBuilder();
        foreach (var name in names)
        {
            header.Append(CultureInfo.InvariantCulture, $"PROBE(\"{name}\", {CExpression(name)})\n");
        }

        File.WriteAllText(_directory.Combine("probes.h"), header.ToString());
        var assembly = _directory.Combine(compiler + ".s");
        Run(compiler, ["-S", "-O0", "-I", _directory.Path, "-o", assembly, ProbeSource]);

        return ImmediateLine().Matches(File.ReadAllText(assembly))
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private static string Run(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"'{program}' is missing ({ex.Message}); install.sh --test installs gcc, gcc-aarch64-linux-gnu and libc6-dev-arm64-cross", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} failed: {stderr.Result}");
            return stdout;
        }
    }

    // x86-64 (AT&T) writes an immediate as $N, aarch64 as #N.
    [GeneratedRegex(@"->(\S+) [$#]?(-?\d+)")]
    private static partial Regex ImmediateLine();
}
