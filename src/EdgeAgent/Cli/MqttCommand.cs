using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Mqtt.Bench;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Cli;

/// <summary><c>edgeagent mqtt bench</c>: synthetic events through the real outbox to the configured broker.</summary>
public static class MqttCommand
{
    public static Command Create()
    {
        var arguments = new ConfigArguments();
        var count = new Option<int>("--count") { Description = "Events to publish.", DefaultValueFactory = _ => 20_000 };
        var qos = new Option<int>("--qos") { Description = "0 or 1.", DefaultValueFactory = _ => 1 };
        var payloadBytes = new Option<int>("--payload-bytes") { Description = "Size of each event's JSON payload.", DefaultValueFactory = _ => 256 };
        var rate = new Option<int>("--rate") { Description = "Events per second offered (0: as fast as the outbox accepts them).", DefaultValueFactory = _ => 0 };
        var producers = new Option<int>("--producers") { Description = "Threads calling Enqueue at once (pipelines run in parallel; they share commits).", DefaultValueFactory = _ => 4 };
        var drainRate = new Option<int>("--drain-rate") { Description = "Outbox drain rate during the bench (0: unlimited, the default; outbox.drainRatePerSecond is ignored).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };

        var bench = new Command("bench",
            "Publish synthetic events through the real outbox (stateDirectory/outbox.db) to the configured broker and report events/s and " +
            "enqueue-to-PUBACK latency. Sends under <baseTopic>/bench; the drain rate is --drain-rate, not outbox.drainRatePerSecond. Run it with the agent stopped.");
        arguments.AddTo(bench);
        foreach (var option in new Option[] { count, qos, payloadBytes, rate, producers, drainRate, json })
        {
            bench.Options.Add(option);
        }

        bench.SetAction(async (result, cancellationToken) =>
        {
            var settings = new BenchSettings(result.GetValue(count), result.GetValue(qos), result.GetValue(payloadBytes), result.GetValue(rate), result.GetValue(producers), result.GetValue(drainRate));
            if (settings.Validate() is { } usage)
            {
                Console.Error.WriteLine($"edgeagent: {usage}");
                return ExitCodes.Usage;
            }

            var loaded = arguments.LoadOrReport(result, ProcessEnvironment.Snapshot());
            if (loaded is null)
            {
                return ExitCodes.Config;
            }

            if (!loaded.Options.Mqtt.Enabled)
            {
                Console.Error.WriteLine("edgeagent: mqtt.enabled is false; the bench needs a broker (set mqtt.enabled=true)");
                return ExitCodes.Config;
            }

            try
            {
                var outcome = await MqttBench.RunAsync(loaded, settings, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(result.GetValue(json) ? outcome.ToJson() : outcome.ToText());
                return outcome.Complete ? ExitCodes.Ok : ExitCodes.Unavailable;
            }
            catch (StartupException ex)
            {
                Console.Error.WriteLine($"edgeagent: {ex.Message}");
                return ExitCodes.Of(ex);
            }
        });

        var command = new Command("mqtt", "MQTT link tools.");
        command.Subcommands.Add(bench);
        return command;
    }
}
