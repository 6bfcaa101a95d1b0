using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Logging;
using EdgeAgent.Pipelines.Configuration;
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

            var logger = LoggingSetup.Create(loaded.Options, environment);
            // The runtime ends the process (SIGABRT, a non-zero status) after this; the log says why first.
            UnhandledExceptionEventHandler onUnhandled = (_, e) =>
            {
                logger.Fatal(e.ExceptionObject as Exception, "The agent is stopping on an unhandled exception");
                Console.Error.WriteLine($"edgeagent: stopped on an unhandled exception: {(e.ExceptionObject as Exception)?.Message}");
            };
            AppDomain.CurrentDomain.UnhandledException += onUnhandled;
            try
            {
                using var host = buildHost(loaded, logger, environment);
                var hostFailures = HostFailures.Of(host);
                await host.RunAsync().ConfigureAwait(false);

                // A stop caused by an error is a failure to systemd (Restart=on-failure), never exit 0.
                var failures = hostFailures.Reasons();
                if (failures.Count > 0)
                {
                    var reasons = string.Join("; ", failures);
                    logger.Fatal("The agent stopped on an error: {Reasons}", reasons);
                    Console.Error.WriteLine($"edgeagent: stopped on an error: {reasons}");
                    return ExitCodes.Failure;
                }

                return Environment.ExitCode;
            }
            catch (StartupException ex)
            {
                logger.Fatal("{Message}", ex.Message);
                Console.Error.WriteLine($"edgeagent: {ex.Message}");
                return ExitCodes.Of(ex);
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
            finally
            {
                AppDomain.CurrentDomain.UnhandledException -= onUnhandled;
                LoggingSetup.DisposeQuietly(logger);
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
