using System.CommandLine;
using EdgeAgent.Cli;
using EdgeAgent.Cli.Doctor;
using EdgeAgent.Configuration;
using EdgeAgent.Hosting;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Metrics;
using EdgeAgent.Mqtt;
using EdgeAgent.Mqtt.Bench;
using EdgeAgent.Ota;
using EdgeAgent.Outbox;
using EdgeAgent.Status;
using EdgeAgent.Systemd;
using EdgeAgent.Telemetry;
using Microsoft.Extensions.Hosting;

// The CLI's verbs, and below them the features the daemon is made of. Each feature's AddXxx does nothing
// when it is not configured.
var root = new RootCommand("EdgeAgent: sensor and camera anomaly detection with ONNX Runtime, published over MQTT.");
root.Subcommands.Add(RunCommand.Create(BuildHost));
root.Subcommands.Add(CheckConfigCommand.Create());
root.Subcommands.Add(SchemaCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(SimulateCommand.Create());
root.Subcommands.Add(CalibrateCommand.Create());
root.Subcommands.Add(CalibrateCommand.CreateCamera());
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(EdgeAgent.Cli.Evaluation.EvaluateCommand.Create());
root.Subcommands.Add(MqttCommand.Create());
root.Subcommands.Add(OutboxCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
root.Subcommands.Add(StatusCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors)
    {
        Console.Error.WriteLine($"edgeagent: {error.Message}");
    }

    Console.Error.WriteLine("See 'edgeagent --help'.");
    return ExitCodes.Usage;
}

// The host, not System.CommandLine, owns SIGTERM: it drives the graceful stop and STOPPING=1.
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);

static IHost BuildHost(LoadedConfig config, Serilog.ILogger logger, IReadOnlyDictionary<string, string> environment)
{
    var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
    builder.Services.AddAgentCore(config, logger);
    builder.Services.AddSystemd(environment);
    builder.Services.AddInference(config.Options.Inference);
    builder.Services.AddOutbox(config.Options);
    builder.Services.AddMqtt(config.Options);
    builder.Services.AddTelemetry(config.Options);
    builder.Services.AddPipelines(config.Options);
    builder.Services.AddOta(config.Options);
    builder.Services.AddMetrics(config.Options);
    builder.Services.AddStatusSocket(config.Options);
    return builder.Build();
}
