using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli;

/// <summary>The options of the offline pipeline verbs (simulate, calibrate, replay): the configuration and which pipeline.</summary>
public sealed class PipelineArguments
{
    public ConfigArguments Config { get; } = new();

    public Option<string?> Pipeline { get; } = new("--pipeline", "-p")
    {
        Description = "Name of the sensor pipeline in the configuration. Default: the only one there is.",
    };

    public void AddTo(Command command)
    {
        Config.AddTo(command);
        command.Options.Add(Pipeline);
    }

    /// <summary>The configuration and the chosen sensor pipeline (or camera pipeline, when <paramref name="cameras"/>), or an exit code after printing why not.</summary>
    public (LoadedConfig? Config, PipelineOptions? Pipeline, int ExitCode) Resolve(ParseResult result, bool cameras = false)
    {
        var loaded = Config.LoadOrReport(result, ProcessEnvironment.Snapshot());
        if (loaded is null)
        {
            return (null, null, ExitCodes.Config);
        }

        var sensors = loaded.Options.Pipelines.Where(p => p.Kind == PipelineKind.Sensor || (cameras && p.Kind == PipelineKind.Camera && p.Camera is not null)).ToList();
        var name = result.GetValue(Pipeline);
        var pipeline = name is null
            ? sensors.Count == 1 ? sensors[0] : null
            : sensors.FirstOrDefault(p => p.Name == name);
        if (pipeline is null)
        {
            Console.Error.WriteLine(name is null
                ? $"edgeagent: name the pipeline with --pipeline; the configuration has {sensors.Count} sensor pipelines ({string.Join(", ", sensors.Select(p => p.Name))})"
                : $"edgeagent: no sensor pipeline named '{name}' (there are: {string.Join(", ", sensors.Select(p => p.Name))})");
            return (loaded, null, ExitCodes.Usage);
        }

        return (loaded, pipeline, ExitCodes.Ok);
    }

    /// <summary>False, after saying so, when the offline input file is missing (the caller exits 65).</summary>
    public static bool InputExists(string file)
    {
        if (File.Exists(file))
        {
            return true;
        }

        Console.Error.WriteLine($"edgeagent: input '{file}' does not exist");
        return false;
    }

    /// <summary>
    /// Runs an offline verb's work: bad data (input, model, manifest) is one line and exit 65, a start-up problem one
    /// line and its own exit code — never a stack trace for a user's file.
    /// </summary>
    public static async Task<int> RunAsync(Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine($"edgeagent: {ex.Message}");
            return ExitCodes.DataError;
        }
        catch (StartupException ex)
        {
            Console.Error.WriteLine($"edgeagent: {ex.Message}");
            return ExitCodes.Of(ex);
        }
    }

    /// <summary>The same pipeline reading <paramref name="input"/> as fast as possible instead of its live sources.</summary>
    public static PipelineOptions WithReplay(PipelineOptions pipeline, string input) => new()
    {
        Name = pipeline.Name,
        Kind = pipeline.Kind,
        Enabled = true,
        Sources =
        [
            new SourceOptions
            {
                Type = SourceType.Replay,
                Name = "input",
                Channels = [.. pipeline.EffectiveSources().SelectMany(s => s.EffectiveChannels())],
                Replay = new ReplaySourceOptions
                {
                    Path = Path.GetFullPath(input),
                    Speed = 0,
                    Format = ReplayFormat(input),
                    TimestampField = Configured(pipeline)?.TimestampField ?? "timestamp",
                    Delimiter = Configured(pipeline)?.Delimiter ?? string.Empty,
                },
            },
        ],
        Window = pipeline.Window,
        Features = pipeline.Features,
        Model = pipeline.Model,
        Detector = pipeline.Detector,
        Scorer = pipeline.Scorer,
        Alert = pipeline.Alert,
    };

    /// <summary>
    /// How the pipeline's own replay source reads files (the timestamp column, the separator): an offline verb reads
    /// its input the same way, so <c>replay.timestampField</c> in the configuration is what the error messages say it is.
    /// </summary>
    private static ReplaySourceOptions? Configured(PipelineOptions pipeline) =>
        pipeline.EffectiveSources().FirstOrDefault(s => s.Type == SourceType.Replay)?.Replay;

    private static RecordFormat? ReplayFormat(string input) =>
        input.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || input.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? RecordFormat.JsonLines
            : null;
}
