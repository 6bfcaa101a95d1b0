using System.CommandLine;
using System.Globalization;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent simulate</c>: what a pipeline's simulated source produces, as a CSV a replay source (and
/// <c>calibrate</c>) reads. Seeded, so the same configuration always writes the same file: this is how the bundled
/// demo model's training data is made.
/// </summary>
public static class SimulateCommand
{
    // A fixed start keeps the output identical from run to run.
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Command Create()
    {
        var arguments = new PipelineArguments();
        var seconds = new Option<double>("--seconds") { Description = "Length of the simulated recording.", DefaultValueFactory = _ => 3600 };
        var normal = new Option<bool>("--normal") { Description = "Leave out the configured injected anomalies (normal data for calibration)." };
        var output = new Option<string?>("--out") { Description = "CSV file to write. Default: standard output." };
        var command = new Command("simulate", "Write the samples of a pipeline's simulated source to CSV (timestamp, one column per channel).") { seconds, normal, output };
        arguments.AddTo(command);
        command.SetAction(result =>
        {
            var (_, pipeline, code) = arguments.Resolve(result);
            if (pipeline is null)
            {
                return code;
            }

            var sources = pipeline.EffectiveSources();
            if (sources.Count != 1 || sources[0].Type != SourceType.Simulated)
            {
                Console.Error.WriteLine($"edgeagent: pipeline '{pipeline.Name}' must have exactly one simulated source to simulate it");
                return ExitCodes.Usage;
            }

            var source = sources[0];
            var options = source.Simulated;
            if (result.GetValue(normal))
            {
                options = new SimulatedSourceOptions { SampleRateHz = options.SampleRateHz, Seed = options.Seed, RealTime = false, Signals = options.Signals };
            }

            var channels = source.EffectiveChannels();
            var generator = new SignalGenerator(options, channels.Count);
            var count = (long)(result.GetValue(seconds) * options.SampleRateHz);
            var path = result.GetValue(output);
            using var writer = path is null ? Console.Out : new StreamWriter(path);
            writer.Write("timestamp");
            foreach (var channel in channels)
            {
                writer.Write(',');
                writer.Write(channel.EffectiveField);
            }

            writer.Write('\n');
            var values = new double[channels.Count];
            for (long i = 0; i < count; i++)
            {
                var time = Start.AddTicks((long)(i * TimeSpan.TicksPerSecond / options.SampleRateHz));
                generator.Next(values);
                writer.Write(time.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));
                foreach (var value in values)
                {
                    writer.Write(',');
                    writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
                }

                writer.Write('\n');
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
