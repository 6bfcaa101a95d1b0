using System.Collections.Concurrent;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference.Native;
using EdgeAgent.Pipelines.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// The process-wide ONNX Runtime: the loaded library, its environment, the shared capped arena and the execution
/// provider preferences. Models are loaded through <see cref="LoadModel"/>.
/// </summary>
public sealed class InferenceRuntime : IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly NativeEnvironment _environment;
    private readonly ConcurrentDictionary<string, bool> _warnedProviders = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<ModelSession, bool> _sessions = new();

    private InferenceRuntime(InferenceOptions options, ILogger logger, NativeEnvironment environment, string[] available)
    {
        Options = options;
        Logger = logger;
        _environment = environment;
        AvailableProviders = available;
    }

    public InferenceOptions Options { get; }

    public string Version => _environment.Api.Version;

    public string LibraryPath => OrtLibrary.LoadedPath ?? string.Empty;

    /// <summary>What GetAvailableProviders lists (compiled in; CUDA etc. may still lack their libraries).</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    /// <summary>The shared arena's cap in bytes, or 0 when each session has its own uncapped arena.</summary>
    public long ArenaBudgetBytes => _environment.HasSharedArena ? Options.Arena.MaxMegabytes * MiB : 0;

    /// <summary>Bytes the shared arena currently hands out to tensors, or null when ORT does not report it.</summary>
    public long? ArenaBytesInUse => ArenaStatistics().TryGetValue("InUse", out var inUse) ? inUse : null;

    internal ILogger Logger { get; }

    internal NativeEnvironment Environment => _environment;

    /// <summary>Loads the library and creates the environment; user-fixable failures are <see cref="StartupException"/>s.</summary>
    public static InferenceRuntime Create(InferenceOptions options, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var errors = new List<ConfigError>();
        options.Validate("inference", errors);
        options.Arena.Validate("inference.arena", errors);
        if (options.Arena.Enabled && options.Arena.MaxMegabytes < ArenaOptions.MinimumMegabytes)
        {
            errors.Add(new ConfigError("inference.arena.maxMegabytes",
                $"{options.Arena.MaxMegabytes} MiB is below {ArenaOptions.MinimumMegabytes} MiB, where ONNX Runtime stops enforcing the cap"));
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join("; ", errors));
        }

        // Before any model is loaded: model swaps free whole sessions, and their big blocks must go back to the system.
        NativeHeap.ReturnLargeBlocksToSystem();
        var api = OrtApi.Load(options.RuntimeLibrary);
        NativeEnvironment environment;
        try
        {
            environment = new NativeEnvironment(api, "edgeagent", logger);
        }
        catch (OrtException ex)
        {
            throw new RuntimeUnavailableException($"ONNX Runtime {api.Version} could not create its environment: {ex.Message}", ex);
        }

        try
        {
            if (options.Arena.Enabled)
            {
                environment.RegisterSharedArena(ArenaSettings(options.Arena));
            }

            var runtime = new InferenceRuntime(options, logger, environment, environment.AvailableProviders());
            InferenceLog.RuntimeLoaded(logger, runtime.Version, runtime.LibraryPath, string.Join(", ", runtime.AvailableProviders),
                options.Arena.Enabled ? $"{options.Arena.MaxMegabytes} MiB, {options.Arena.ExtendStrategy}" : "off (per-session arenas)");
            return runtime;
        }
        catch (OrtException ex)
        {
            environment.Dispose();
            throw new ConfigurationException($"ONNX Runtime {api.Version} refused the arena settings (inference.arena): {ex.Message}", ex);
        }
    }

    /// <summary>Loads, prepares and warms up a model; failures are <see cref="ModelLoadException"/>s naming the file.</summary>
    public ModelSession LoadModel(string path, ModelLoadOptions? options = null) =>
        ModelSession.Load(this, path, options ?? ModelLoadOptions.Default);

    /// <summary>A model's inputs, outputs and metadata, read without binding tensors or running it.</summary>
    public ModelDescription Describe(string path, ModelLoadOptions? options = null) =>
        ModelSession.Describe(this, path, options ?? ModelLoadOptions.Default);

    /// <summary>
    /// The shared arena's counters as ORT names them (InUse, TotalAllocated, MaxInUse, Limit, NumAllocs, ...), read
    /// through a loaded model's allocator; empty while no model is loaded or without a shared arena.
    /// </summary>
    public IReadOnlyDictionary<string, long> ArenaStatistics()
    {
        foreach (var session in _sessions.Keys)
        {
            return session.ArenaStatistics();
        }

        return new Dictionary<string, long>();
    }

    public void Dispose() => _environment.Dispose();

    internal void Track(ModelSession session) => _sessions.TryAdd(session, true);

    internal void Untrack(ModelSession session) => _sessions.TryRemove(session, out _);

    /// <summary>Logs a skipped provider once per process run, with the list this build has.</summary>
    internal void WarnProviderOnce(string provider, string reason)
    {
        if (_warnedProviders.TryAdd(provider, true))
        {
            InferenceLog.ProviderSkipped(Logger, provider, reason, string.Join(", ", AvailableProviders));
        }
    }

    private static List<KeyValuePair<string, nuint>> ArenaSettings(ArenaOptions arena)
    {
        var settings = new List<KeyValuePair<string, nuint>>
        {
            new("max_mem", (nuint)(arena.MaxMegabytes * MiB)),
            new("arena_extend_strategy", arena.ExtendStrategy == ArenaExtendStrategy.NextPowerOfTwo ? 0u : 1u),
        };
        if (arena.InitialChunkKilobytes > 0)
        {
            settings.Add(new("initial_chunk_size_bytes", (nuint)(arena.InitialChunkKilobytes * 1024L)));
        }

        return settings;
    }
}
