using EdgeAgent.Pipelines.Sensors;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Tests.Support;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace EdgeAgent.Pipelines.Tests.Sources.Sysfs;

/// <summary>Real files in a temporary sysfs-shaped tree, read by the real sources the factory builds.</summary>
public sealed class SysfsSourceTests : IDisposable
{
    private readonly TempDirectory _root = new("sysfs");

    public void Dispose() => _root.Dispose();

    private SampleSource Build(SourceType type, string device, params (string Name, string Field)[] channels)
    {
        var options = new PipelineOptions
        {
            Name = "p",
            Sources =
            [
                new SourceOptions
                {
                    Type = type,
                    PollIntervalMilliseconds = 20,
                    MaxRetrySeconds = 1,
                    Sysfs = new SysfsSourceOptions { Root = _root.Path, Device = device },
                    Channels = [.. channels.Select(c => new SourceChannelOptions { Name = c.Name, Field = c.Field })],
                },
            ],
        };
        return SensorPipelineFactory.CreateSources(options, NullLoggerFactory.Instance).Single();
    }

    private static async Task<Sample[]> FirstRound(SourceRunner runner, int channels)
    {
        await SourceRunner.Until(() => runner.Samples.Count >= channels, "a first reading of every channel");
        return [.. runner.Samples.Take(channels)];
    }

    [Fact]
    public async Task Iio_applies_offset_then_scale_per_channel_or_shared_by_type()
    {
        var dev = "bus/iio/devices/iio:device0/";
        _root.Write(dev + "name", "ads1015\n");
        _root.Write(dev + "in_voltage0_raw", "1000\n");
        _root.Write(dev + "in_voltage_scale", "0.5\n");
        _root.Write(dev + "in_voltage1_raw", "-20\n");
        _root.Write(dev + "in_voltage1_scale", "2\n");
        _root.Write(dev + "in_voltage1_offset", "30\n");
        _root.Write(dev + "in_temp_raw", "2500\n");
        await using var runner = new SourceRunner(Build(SourceType.Iio, "ads1015", ("a", "in_voltage0"), ("b", "in_voltage1"), ("t", "in_temp")));
        var samples = await FirstRound(runner, 3);
        samples.Select(s => s.Value).Should().Equal(500, 20, 2500);
        samples.Select(s => s.Channel).Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task Hwmon_by_chip_name_and_thermal_zone_in_millidegrees()
    {
        _root.Write("class/hwmon/hwmon0/name", "acpitz\n");
        _root.Write("class/hwmon/hwmon1/name", "coretemp\n");
        _root.Write("class/hwmon/hwmon1/temp1_input", "45500\n");
        _root.Write("class/hwmon/hwmon1/fan1_input", "1200\n");
        _root.Write("class/hwmon/hwmon1/power1_input", "2500000\n");
        await using (var runner = new SourceRunner(Build(SourceType.Hwmon, "coretemp", ("cpu", "temp1"), ("fan", "fan1"), ("power", "power1"))))
        {
            (await FirstRound(runner, 3)).Select(s => s.Value).Should().Equal(45.5, 1200, 2.5);
        }

        _root.Write("class/thermal/thermal_zone1/temp", "61234\n");
        await using (var runner = new SourceRunner(Build(SourceType.Thermal, string.Empty, ("soc", "thermal_zone1"))))
        {
            (await FirstRound(runner, 1)).Single().Value.Should().Be(61.234);
        }
    }

    [Fact]
    public async Task W1_accepts_a_good_crc_and_counts_a_bad_one()
    {
        const string good = "72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=23125\n";
        var path = _root.Write("bus/w1/devices/28-0316a2795aff/w1_slave", good);
        await using var runner = new SourceRunner(Build(SourceType.W1, string.Empty, ("probe", string.Empty)));
        (await FirstRound(runner, 1)).Single().Value.Should().Be(23.125);

        // The kernel's verdict NO, then a YES whose bytes do not match their CRC: both rejected, counted.
        File.WriteAllText(path, "72 01 4b 46 7f ff 0e 10 57 : crc=57 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n");
        await SourceRunner.Until(() => runner.Source.Counters[BadInput.Garbage] >= 1, "a kernel CRC failure");
        File.WriteAllText(path, "72 01 4b 46 7f ff 0e 10 58 : crc=58 YES\n72 01 4b 46 7f ff 0e 10 58 t=23125\n");
        var before = runner.Source.Counters[BadInput.Garbage];
        await SourceRunner.Until(() => runner.Source.Counters[BadInput.Garbage] > before, "our own CRC check failing");
        File.WriteAllText(path, good.Replace("t=23125", "t=-1500", StringComparison.Ordinal));
        await SourceRunner.Until(() => runner.Samples.Any(s => s.Value == -1.5), "a negative reading");
    }

    [Fact]
    public async Task A_device_that_disappears_and_comes_back_is_logged_once_counted_and_read_again()
    {
        var zone = "class/thermal/thermal_zone0/";
        _root.Write(zone + "temp", "40000\n");
        await using var runner = new SourceRunner(Build(SourceType.Thermal, string.Empty, ("soc", "thermal_zone0")));
        var source = (PolledSource)runner.Source;
        await FirstRound(runner, 1);

        Directory.Delete(_root.Combine(zone), recursive: true);
        await SourceRunner.Until(() => source.Counters.ReadErrors >= 3, "several failed reopen attempts");
        source.Counters.DeviceLost.Should().Be(1, "an outage counts once however many retries it takes");
        source.Connected.Should().BeFalse();

        _root.Write(zone + "temp", "41000\n");
        await SourceRunner.Until(() => runner.Samples.Any(s => s.Value == 41), "readings after the device came back", 30);
        source.Counters.DeviceBack.Should().Be(1);
        source.Counters.DeviceLost.Should().Be(1);
    }

    [Fact]
    public async Task A_value_that_is_not_a_number_is_counted_and_polling_goes_on()
    {
        var path = _root.Write("class/thermal/thermal_zone0/temp", "garbage\n");
        await using var runner = new SourceRunner(Build(SourceType.Thermal, string.Empty, ("soc", "thermal_zone0")));
        await SourceRunner.Until(() => runner.Source.Counters[BadInput.NonNumeric] >= 2, "counted bad readings");
        File.WriteAllText(path, "42000\n");
        await SourceRunner.Until(() => runner.Samples.Count > 0, "a good reading");
        runner.Samples[0].Value.Should().Be(42);
    }
}
