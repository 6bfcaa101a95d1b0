using EdgeAgent.Pipelines.Platform.Native;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources;

/// <summary>A real pseudo-terminal pair stands in for the microcontroller's USB serial port.</summary>
public sealed class SerialSourceTests
{
    private static SerialSource Serial(string device, RecordFormat format, params string[] channels) =>
        new(SourceRunner.Context("serial", channels), new SerialSourceOptions { Device = device, BaudRate = 115_200, Format = format, MaxLineBytes = 64 }, TimeSpan.FromSeconds(1));

    [Fact]
    public void Opening_sets_raw_mode_without_echo_8_bits_and_the_baud_rate()
    {
        using var pty = new PseudoTerminal();
        using var port = SerialPort.Open(pty.SlavePath, 57_600);
        var settings = port.ReadSettings();
        settings.Echo.Should().BeFalse();
        settings.Canonical.Should().BeFalse();
        settings.Cs8.Should().BeTrue();
        settings.Speed.Should().Be(LinuxAbi.Current.ToSpeed(57_600));
    }

    [Fact]
    public async Task Csv_lines_become_samples_and_garbage_and_half_lines_are_counted()
    {
        using var pty = new PseudoTerminal();
        var source = Serial(pty.SlavePath, RecordFormat.Csv, "temperature", "humidity");
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => source.Connected, "the port open");

        pty.Write("5,60\n");                      // a half line: whatever precedes the first newline
        pty.Write("temperature,humidity\r\n");   // a header names the columns
        pty.Write("21.5,40\r\n");
        pty.Write("\u0001\u00ff\u0002garbage\n"); // line noise, e.g. a wrong baud rate
        pty.Write(new string('9', 100) + "\n");    // longer than maxLineBytes
        pty.Write("22.0,abc\n");                   // one field not a number
        pty.Write("22.5,");                        // split across writes is fine...
        await Task.Delay(50);
        pty.Write("41\n");
        await SourceRunner.Until(() => runner.Samples.Count >= 4, "four samples");

        runner.Samples.Select(s => (s.Channel, s.Value)).Should().Equal((0, 21.5), (1, 40), (0, 22.0), (0, 22.5), (1, 41));
        source.Counters[BadInput.PartialLine].Should().Be(1);
        source.Counters[BadInput.Garbage].Should().Be(2);
        source.Counters[BadInput.NonNumeric].Should().Be(1);
    }

    [Fact]
    public async Task Json_lines_by_field_path()
    {
        using var pty = new PseudoTerminal();
        var source = Serial(pty.SlavePath, RecordFormat.JsonLines, "t");
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => source.Connected, "the port open");
        pty.Write("\n{\"t\":1.25}\n{\"x\":2}\n{broken\n{\"t\":3}\n");
        await SourceRunner.Until(() => runner.Samples.Count >= 2, "two samples");
        runner.Samples.Select(s => s.Value).Should().Equal(1.25, 3);
        source.Counters[BadInput.MissingField].Should().Be(1);
        source.Counters[BadInput.MalformedLine].Should().Be(1);
    }

    [Fact]
    public async Task Unplug_and_replug_is_survived()
    {
        using var dir = new TempDirectory();
        var link = dir.Combine("ttyUSB0");
        var first = new PseudoTerminal();
        File.CreateSymbolicLink(link, first.SlavePath);
        var source = Serial(link, RecordFormat.Csv, "v");
        await using var runner = new SourceRunner(source);
        await SourceRunner.Until(() => source.Connected, "the port open");
        first.Write("\n1\n2\n3");
        await SourceRunner.Until(() => runner.Samples.Count >= 2, "samples before the unplug");

        // Unplug: the device hangs up with half a line pending and its node disappears.
        first.Dispose();
        File.Delete(link);
        await SourceRunner.Until(() => source.Counters.ReadErrors >= 2, "failed reopen attempts");
        source.Counters.DeviceLost.Should().Be(1);
        source.Counters[BadInput.PartialLine].Should().Be(1);

        using var second = new PseudoTerminal();
        File.CreateSymbolicLink(link, second.SlavePath);
        await SourceRunner.Until(() => source.Connected, "the port reopened", 30);
        second.Write("\n4\n");
        await SourceRunner.Until(() => runner.Samples.Count >= 3, "samples after the replug");
        runner.Samples.Select(s => s.Value).Should().Equal(1, 2, 4);
        source.Counters.DeviceBack.Should().Be(1);
    }
}
