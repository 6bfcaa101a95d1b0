using System.CommandLine;
using EdgeAgent.Configuration;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent check-config</c>: prints the effective configuration (secrets masked), or every error and exit 78.</summary>
public static class CheckConfigCommand
{
    public static Command Create()
    {
        var arguments = new ConfigArguments();
        var command = new Command("check-config", "Validate the configuration and print the effective settings (secrets masked). Exit 0 when valid, 78 with every problem listed when not.");
        arguments.AddTo(command);
        command.SetAction(result =>
        {
            var loaded = arguments.LoadOrReport(result, ProcessEnvironment.Snapshot());
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            var sources = loaded.Files.Count == 0 ? "built-in defaults (no configuration file found)" : string.Join(", ", loaded.Files);
            Console.Error.WriteLine($"edgeagent: configuration is valid ({sources})");
            Console.Out.WriteLine(EffectiveConfigWriter.Write(loaded.Options));
            return ExitCodes.Ok;
        });
        return command;
    }
}
