using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent models inspect|bench PATH</c>: look at and time any ONNX file with the agent's own runtime.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Inspect, benchmark, sign, install and roll back ONNX models.");
        command.Subcommands.Add(ModelsInspectCommand.Create());
        command.Subcommands.Add(ModelsBenchCommand.Create());
        ModelStoreCommands.AddTo(command);
        command.Subcommands.Add(ModelsValidateCandidateCommand.Create());
        return command;
    }

    /// <summary>Runs a models verb: configuration errors exit 78, model errors 65, a missing runtime 69, each as one line.</summary>
    internal static int Guard(ConfigArguments arguments, ParseResult result, Func<InferenceOptions, int> body)
    {
        var loaded = arguments.LoadOrReport(result, ProcessEnvironment.Snapshot());
        if (loaded is null)
        {
            return ExitCodes.Config;
        }

        try
        {
            return body(loaded.Options.Inference);
        }
        catch (ModelLoadException ex)
        {
            Console.Error.WriteLine($"edgeagent: {ex.Message}");
            return ExitCodes.DataError;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine($"edgeagent: {ex.Message}");
            return ExitCodes.Of(ex);
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"edgeagent: {ex.Message}");
            return ExitCodes.Usage;
        }
    }

    /// <summary>A bad option value found after parsing (e.g. a malformed --shape).</summary>
    internal sealed class UsageException(string message) : Exception(message);
}
