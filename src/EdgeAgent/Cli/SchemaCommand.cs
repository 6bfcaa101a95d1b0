using System.CommandLine;
using EdgeAgent.Configuration;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent schema</c>: the JSON Schema of the configuration file, generated from the options classes.</summary>
public static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the JSON Schema of the configuration file (config/edgeagent.schema.json is this output).");
        command.SetAction(_ =>
        {
            Console.Out.Write(SchemaGenerator.Generate(typeof(AgentOptions)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
