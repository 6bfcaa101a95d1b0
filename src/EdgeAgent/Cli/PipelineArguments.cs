using System.CommandLine;
using EdgeAgent.Configuration;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Sources;

namespace EdgeAgent.Cli;

/// <summary>
/// The options of the offline pipeline verbs (simulate, calibrate, replay, evaluate): the configuration and which
/// pipeline, of the kinds the verb takes.
/// </summary>
public sealed class PipelineArguments
{
    private readonly PipelineKind[] _kinds;

    /// <param name="kinds">The kinds of pipeline the verb takes; sensor pipelines when none are named.</param>
    public PipelineArguments(params PipelineKind[] kinds)
    {
        _kinds = kinds.Length > 0 ? kinds : [PipelineKind.Sensor];
        Pipeline = new("--pipeline", "-p") { Description = $"Name of the {Noun} in the configuration. Default: the only one there is." };
    }

    public ConfigArguments Config { get; } = new();

    public Option<string?> Pipeline { get; }

    // Replay takes both kinds and has always said "sensor pipeline" in its errors (scripts and tests match it).
    private string Noun => _kinds is [PipelineKind.Camera] ? "camera pipeline" : "sensor pipeline";

    public void AddTo(Command command)
    {
        Config.AddTo(command);
        command.Options.Add(Pipeline);
    }

    /// <summary>The configuration and the chosen pipeline, or an exit code after printing why not.</summary>
    public (LoadedConfig? Config, PipelineOptions? Pipeline, int ExitCode) Resolve(ParseResult result)
    {
        var loaded = Config.LoadOrReport(result, ProcessEnvironment.Snapshot());
        if (loaded is null)
        {
            return (null, null, ExitCodes.Config);
        }

        var candidates = loaded.Options.Pipelines.Where(p => _kinds.Contains(p.Kind) && (p.Kind != PipelineKind.Camera || p.Camera is not null)).ToList();
        var name = result.GetValue(Pipeline);
        var pipeline = name is null
            ? candidates.Count == 1 ? candidates[0] : null
            : candidates.FirstOrDefault(p => p.Name == name);
        if (pipeline is null)
        {
            Console.Error.WriteLine(name is null
                ? $"edgeagent: name the pipeline with --pipeline; the configuration has {candidates.Count} {Noun}s ({string.Join(", ", candidates.Select(p => p.Name))})"
                : $"edgeagent: no {Noun} named '{name}' (there are: {string.Join(", ", candidates.Select(p => p.Name))})");
            return (loaded, null, ExitCodes.Usage);
        }

        return (loaded, pipeline, ExitCodes.Ok);
    }

    /// <summary>
    /// An offline verb's skeleton: resolves the configuration and pipeline, then runs <paramref name="work"/> with the
    /// offline error mapping (<see cref="RunAsync(Func{Task{int}})"/>).
    /// </summary>
    public async Task<int> RunAsync(ParseResult result, Func<LoadedConfig, PipelineOptions, Task<int>> work)
    {
        var (loaded, pipeline, code) = Resolve(result);
        return loaded is null || pipeline is null ? code : await RunAsync(() => work(loaded, pipeline)).ConfigureAwait(false);
    }

    /// <summary>
    /// The model an offline verb runs: <paramref name="explicitPath"/> (its --model) when given, else what the agent
    /// serves, answered by <see cref="ModelResolver"/>: the store's active version, else the configured file. The store
    /// is read as the agent left it, never repaired (the agent may be running); none reachable leaves the configured file.
    /// </summary>
    /// <returns>The model file, or null when there is none (a sensor pipeline's built-in detector serves).</returns>
    /// <param name="choice">How the verb runs another model, for the notice (replay: its --model); null when it has none.</param>
    public static string? ServedModel(LoadedConfig loaded, PipelineOptions pipeline, string? explicitPath = null, string? choice = null)
    {
        if (explicitPath is not null)
        {
            return Path.GetFullPath(explicitPath);
        }

        var store = ModelStore.OpenReadOnly(loaded.Options.StateDirectory);
        var path = ModelResolver.ModelPath(store, pipeline);
        if (store?.Recovered is { } unreadable)
        {
            Console.Error.WriteLine($"edgeagent: warning: {unreadable}");
        }
        else if (store?.Active(pipeline.Name) is { } active && path is not null && path.StartsWith(store.Root + "/", StringComparison.Ordinal))
        {
            // Said, because the configuration names another file: the result is the agent's, not the configured model's.
            Console.Error.WriteLine($"edgeagent: pipeline '{pipeline.Name}' serves {active.Name} {active.Version} from the model store ({path}){(choice is null ? string.Empty : "; " + choice)}");
        }

        return path;
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
