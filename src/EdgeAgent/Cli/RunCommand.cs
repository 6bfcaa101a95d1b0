using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Logging;
using Microsoft.Extensions.Hosting;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent run</c>: validate, prepare directories, then run the host until SIGTERM.</summary>
public static class RunCommand
{
    public delegate IHost HostFactory(LoadedConfig config, Serilog.ILogger logger, IReadOnlyDictionary<string, string> environment);

    public static Command Create(HostFactory buildHost)
    {
        var arguments = new ConfigArguments();
        var command = new Command("run", "Run the agent in the foreground (as systemd's ExecStart does). Stops gracefully on SIGTERM or Ctrl+C.");
        arguments.AddTo(command);
        command.SetAction(async (result, _) =>
        {
            var environment = ProcessEnvironment.Snapshot();
            var loaded = arguments.LoadOrReport(result, environment);
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            if (!EnsureDirectories(loaded.Options))
            {
                return ExitCodes.CantCreate;
            }

            using var logger = LoggingSetup.Create(loaded.Options, environment);
            try
            {
                using var host = buildHost(loaded, logger, environment);
                await host.RunAsync().ConfigureAwait(false);
                return Environment.ExitCode;
            }
            catch (AgentStartupException ex)
            {
                logger.Fatal("{Message}", ex.Message);
                Console.Error.WriteLine($"edgeagent: {ex.Message}");
                return ex.ExitCode;
            }
            catch (ConfigException ex)
            {
                Console.Error.WriteLine($"edgeagent: {ex.Message}");
                return ExitCodes.Config;
            }
            catch (Exception ex)
            {
                logger.Fatal(ex, "The agent stopped on an unexpected error");
                Console.Error.WriteLine($"edgeagent: stopped on an unexpected error: {ex.Message} (details in the log)");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static bool EnsureDirectories(AgentOptions options)
    {
        var ok = true;
        foreach (var (key, directory) in new[] { ("stateDirectory", options.StateDirectory), ("logDirectory", options.LogDirectory) })
        {
            if (key == "logDirectory" && !options.Logging.File.Enabled)
            {
                continue;
            }

            if (!DirectoryProbe.TryEnsureWritable(directory, out var error))
            {
                Console.Error.WriteLine(
                    $"edgeagent: {key} '{directory}' cannot be created or written: {error}. " +
                    $"Fix: give the agent's user write access, or set {key} to a writable directory.");
                ok = false;
            }
        }

        return ok;
    }
}
