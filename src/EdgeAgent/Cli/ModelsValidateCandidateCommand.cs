using System.CommandLine;
using System.Text.Json;
using EdgeAgent.Configuration;
using EdgeAgent.Ota;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent models validate-candidate</c> (hidden): the agent's own executable as the validation child of an OTA
/// update (Ota/CandidateValidator.cs starts it with the agent's --config/--set). It limits its own address space
/// first, then loads, fits, smoke-tests and times the candidate (Ota/CandidateProbe.cs) and prints one JSON line:
/// <c>{"reason": null|"smoke_test_failed"|…, "message": …, "medianRunMs": …, "maxRunMs": …}</c>. Exit 0 with that line
/// whatever it found; anything else (a signal, no line) is a crash, which the agent reports.
/// </summary>
public static class ModelsValidateCandidateCommand
{
    public static Command Create()
    {
        var arguments = new ConfigArguments();
        var pipeline = new Option<string>("--pipeline") { Required = true };
        var model = new Option<string>("--model") { Required = true, Description = "The stored version's directory (model.onnx, model.json)." };
        var input = new Option<string?>("--input") { Description = "The live model input (raw bytes of the input tensor) to smoke-test on." };
        var memory = new Option<int>("--memory-mb") { DefaultValueFactory = _ => 1024 };
        var command = new Command("validate-candidate", "Internal: validate an OTA candidate in a child process.") { Hidden = true };
        command.Options.Add(pipeline);
        command.Options.Add(model);
        command.Options.Add(input);
        command.Options.Add(memory);
        arguments.AddTo(command);
        command.SetAction(result =>
        {
            // First, before the runtime maps anything: the budget is on top of what this process already maps.
            CandidateValidator.LimitOwnMemory(result.GetValue(memory));
            var loaded = arguments.LoadOrReport(result, ProcessEnvironment.Snapshot());
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            var options = loaded.Options.Pipelines.FirstOrDefault(p => p.Name == result.GetValue(pipeline));
            CandidateProbeResult outcome;
            if (options is null)
            {
                outcome = CandidateProbeResult.Failed(RejectionReason.UnknownPipeline, $"no pipeline named '{result.GetValue(pipeline)}'");
            }
            else
            {
                using var runtime = InferenceRuntime.Create(loaded.Options.Inference, StderrLogger.Instance);
                var bytes = result.GetValue(input) is { } path ? File.ReadAllBytes(path) : null;
                outcome = CandidateProbe.Run(runtime, options, Path.GetFullPath(result.GetValue(model)!), bytes);
            }

            using var stdout = Console.OpenStandardOutput();
            using (var json = new Utf8JsonWriter(stdout))
            {
                json.WriteStartObject();
                if (outcome.Reason is { } reason)
                {
                    json.WriteString("reason", ReportedStateWriter.SnakeCase(reason));
                }
                else
                {
                    json.WriteNull("reason");
                }

                json.WriteString("message", outcome.Message);
                json.WriteNumber("medianRunMs", outcome.MedianRunMilliseconds);
                json.WriteNumber("maxRunMs", outcome.MaxRunMilliseconds);
                json.WriteEndObject();
            }

            stdout.WriteByte((byte)'\n');
            return ExitCodes.Ok;
        });
        return command;
    }
}
