using System.Diagnostics;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources;
using EdgeAgent.Pipelines.Sources.Sysfs;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// Every source's device or file is there and readable by the agent's user (the unit's User= with its
/// SupplementaryGroups, else whoever runs the doctor): serial ports, I2C buses, sysfs attributes, V4L2 cameras (which
/// need read and write), replay files; and ffmpeg, when a camera pipeline needs it.
/// </summary>
internal static class DeviceChecks
{
    public static IEnumerable<DoctorCheck> Run(AgentOptions options, ServiceUnit? unit)
    {
        var account = unit is null
            ? UnixAccount.Of(Environment.UserName, [])
            : UnixAccount.Of(unit.User, unit.SupplementaryGroups);
        var checks = new List<DoctorCheck>();
        foreach (var pipeline in options.Pipelines.Where(p => p.Enabled))
        {
            if (pipeline.Kind == PipelineKind.Camera)
            {
                checks.Add(Camera(pipeline, account));
                continue;
            }

            var sources = pipeline.EffectiveSources();
            for (var i = 0; i < sources.Count; i++)
            {
                checks.Add(Source($"source {pipeline.Name}/{sources[i].EffectiveName(i)}", sources[i], account));
            }
        }

        var ffmpegs = options.Pipelines.Where(p => p.Enabled && p.Kind == PipelineKind.Camera).Select(p => CameraPipelineFactory.CameraOf(p).FfmpegPath).Distinct();
        checks.AddRange(ffmpegs.Select(Ffmpeg));
        return checks;
    }

    private static DoctorCheck Source(string name, SourceOptions source, UnixAccount account)
    {
        switch (source.Type)
        {
            case SourceType.Simulated:
                return DoctorCheck.Ok(name, "simulated (no device)");
            case SourceType.Mqtt:
                return DoctorCheck.Ok(name, $"reads '{source.Mqtt.Topic}' from the broker (see the mqtt checks)");
            case SourceType.Replay:
                return Path(name, source.Replay.Path, account, write: false, "replay file", "set replay.path to the recording, readable by the agent's user");
            case SourceType.Serial:
                return Path(name, source.Serial.Device, account, write: true, "serial port",
                    "plug the device in or fix serial.device (ls /dev/serial/by-id/); the agent's user needs the dialout group");
            case SourceType.I2c:
                return Path(name, source.I2c.Device, account, write: true, "I2C bus",
                    "enable the bus (raspi-config, or dtparam=i2c_arm=on) or fix i2c.device; the agent's user needs the i2c group");
            default:
                IReadOnlyList<PolledChannel> channels;
                try
                {
                    channels = SysfsChannels.Create(source.Type, source.Sysfs, source.EffectiveChannels());
                }
                catch (Exception ex) when (ex is IOException or ArgumentException or StartupException)
                {
                    return DoctorCheck.Error(name, ex.Message, "check sysfs.device and the channels' fields against ls /sys/bus/iio/devices /sys/class/hwmon");
                }

                foreach (var channel in channels)
                {
                    var check = Path(name, channel.Device, account, write: false, $"{source.Type.ToString().ToLowerInvariant()} attribute",
                        "load the sensor's driver or fix sysfs.device and the channel's field");
                    if (check.Verdict != DoctorVerdict.Ok)
                    {
                        return check;
                    }
                }

                return DoctorCheck.Ok(name, $"{channels.Count} {source.Type.ToString().ToLowerInvariant()} attribute(s) present and readable ({string.Join(", ", channels.Select(c => c.Device).Take(3))})");
        }
    }

    private static DoctorCheck Camera(PipelineOptions pipeline, UnixAccount account)
    {
        var name = "camera " + pipeline.Name;
        var camera = CameraPipelineFactory.CameraOf(pipeline);
        return camera.InputKind switch
        {
            CameraInputKind.Device => Path(name, camera.Input, account, write: true, "V4L2 device",
                "plug the camera in or fix camera.input (v4l2-ctl --list-devices); the agent's user needs the video group"),
            CameraInputKind.File => Path(name, camera.Input, account, write: false, "video file", "fix camera.input"),
            _ => DoctorCheck.Ok(name, $"{camera.InputKind.ToString().ToUpperInvariant()} stream {Redacted(camera.Input)} (not probed: ffmpeg reports it when the agent runs)"),
        };
    }

    private static DoctorCheck Path(string name, string path, UnixAccount account, bool write, string what, string fix)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return DoctorCheck.Error(name, $"{what} {path} does not exist", fix);
        }

        if (!account.Exists)
        {
            return DoctorCheck.Warning(name, $"{what} {path} is present, but the agent's user '{account.Name}' does not exist here",
                "create it ('sudo ./install.sh --system' does) or fix User= in edgeagent.service");
        }

        if (account.CannotAccess(path, write) is { } why)
        {
            return DoctorCheck.Error(name, $"{what} {path}: {why}", fix);
        }

        return DoctorCheck.Ok(name, $"{what} {path} present and {(write ? "readable and writable" : "readable")} by {account.Name}");
    }

    private static DoctorCheck Ffmpeg(string path)
    {
        try
        {
            using var process = Process.Start(FfmpegStartInfo.Create(path, ["-hide_banner", "-version"], redirectInput: false))!;
            var first = process.StandardOutput.ReadLine() ?? string.Empty;
            process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            return FfmpegVersion.IsFpsModeRelease(first) || first.Length == 0
                ? DoctorCheck.Ok("ffmpeg", first.Length == 0 ? $"{path} runs" : first)
                : DoctorCheck.Ok("ffmpeg", $"{first} (before 5.1: the capture uses -vsync)");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return DoctorCheck.Error("ffmpeg", $"'{path}' cannot be run: {ex.Message}", "install ffmpeg (sudo apt-get install ffmpeg) or set camera.ffmpegPath");
        }
    }

    // A stream URL may carry a password (rtsp://user:secret@host): never print it.
    private static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? url.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal) : url;
}
