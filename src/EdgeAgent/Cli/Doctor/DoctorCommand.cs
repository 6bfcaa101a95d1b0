using System.CommandLine;
using EdgeAgent.Configuration;

namespace EdgeAgent.Cli.Doctor;

/// <summary>
/// <c>edgeagent doctor</c>: named checks of everything the agent needs on this machine, each with a verdict, the reason
/// and the fix. Read-only: it connects to the broker and loads the models like the agent would, but changes nothing on
/// disk, and it uses its own MQTT client id so it never takes the running agent's session.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var arguments = new ConfigArguments();
        var json = new Option<bool>("--json") { Description = "Print the checks as JSON." };
        var command = new Command("doctor",
            "Check configuration, ONNX Runtime, models, broker (reachable, TLS, credentials), devices, ffmpeg, disk, outbox, clock, systemd unit and OTA keys. " +
            "Each check says ok, warning or error, why, and the fix. Exit 0 all ok, 1 warnings, 2 errors.");
        arguments.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, cancellationToken) =>
        {
            var checks = new List<DoctorCheck>();
            LoadedConfig? loaded = null;
            try
            {
                loaded = ConfigLoader.Load(arguments.Read(result), ProcessEnvironment.Snapshot());
                var files = loaded.Files.Count == 0 ? "built-in defaults (no configuration file found)" : string.Join(", ", loaded.Files);
                checks.Add(DoctorCheck.Ok("config", $"valid ({files})"));
            }
            catch (ConfigException ex)
            {
                checks.Add(DoctorCheck.Error("config", ex.Message.ReplaceLineEndings("; "),
                    "correct the settings named above ('edgeagent check-config' lists them); the other checks need a valid configuration"));
            }

            if (loaded is not null)
            {
                checks.AddRange(await DoctorChecks.RunAsync(loaded.Options, cancellationToken).ConfigureAwait(false));
            }

            Console.Out.Write(result.GetValue(json) ? DoctorReport.Json(checks) + Environment.NewLine : DoctorReport.Text(checks));
            return DoctorReport.ExitCode(checks);
        });
        return command;
    }
}
