using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Ota.Store;

namespace EdgeAgent.Ota;

/// <summary>
/// The crash-loop breaker. Before the risky steps of a deployment (the candidate's load into the agent, the swap and
/// the health watch) an attempt marker naming the pipeline and the model is written durably; it is removed when the
/// deployment ends either way. A marker found at start means the agent died during that deployment (a native crash,
/// the OOM killer, the watchdog): that model is recorded as <c>crashed_validation</c> for good, the store's active
/// version is set back if it already named it, and no channel deploys it again, even though the retained desired state
/// keeps asking for it. Constructed once per start, before any pipeline loads its model.
/// </summary>
public sealed class CrashBreaker
{
    private readonly ModelStore _store;
    private readonly string _marker;
    private readonly string _trippedPath;
    private readonly Lock _lock = new();
    private readonly List<Trip> _tripped;

    public CrashBreaker(ModelStore store)
    {
        _store = store;
        var folder = Path.Combine(store.Root, ".breaker");
        Directory.CreateDirectory(folder);
        _marker = Path.Combine(folder, "attempt.json");
        _trippedPath = Path.Combine(folder, "tripped.json");
        _tripped = ReadTripped();
        RecoverFromCrash();
    }

    /// <summary>The trip found at this start (null when the last run ended its deployments), for the reported state.</summary>
    public Trip? TrippedAtStart { get; private set; }

    /// <summary>Written before the risky step; durable (fsync) so a power cut or SIGKILL right after cannot lose it.</summary>
    public void Arm(string pipeline, string name, string version) =>
        AtomicFile.Write(_marker, BundleSignature.Utf8(new JsonObject { ["pipeline"] = pipeline, ["name"] = name, ["version"] = version }.ToJsonString()));

    public void Disarm()
    {
        if (File.Exists(_marker))
        {
            File.Delete(_marker);
            Pipelines.Platform.Native.Libc.FsyncDirectory(Path.GetDirectoryName(_marker)!);
        }
    }

    /// <summary>True when this model crashed the agent while it was deployed to this pipeline: never deploy it there again.</summary>
    public bool IsTripped(string pipeline, string name, string version)
    {
        lock (_lock)
        {
            return _tripped.Any(t => t.Pipeline == pipeline && t.Name == name && t.Version == version);
        }
    }

    private void RecoverFromCrash()
    {
        if (!File.Exists(_marker))
        {
            return;
        }

        string? pipeline = null, name = null, version = null;
        try
        {
            var node = JsonNode.Parse(File.ReadAllBytes(_marker));
            pipeline = node?["pipeline"]?.GetValue<string>();
            name = node?["name"]?.GetValue<string>();
            version = node?["version"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Written atomically, so unreadable means disk damage: nothing to trip on.
        }

        if (pipeline is not null && name is not null && version is not null)
        {
            var trip = new Trip(pipeline, name, version);
            lock (_lock)
            {
                _tripped.Add(trip);
                WriteTripped();
            }

            // Activated but the agent died before the marker was removed: the store must not name it at this start.
            if (_store.Active(pipeline) is { } active && active.Name == name && active.Version == version && active.PreviousName is not null &&
                active.PreviousVersion is not null && _store.Find(active.PreviousName, active.PreviousVersion) is not null)
            {
                _store.Rollback(pipeline);
            }

            TrippedAtStart = trip;
        }

        Disarm();
    }

    private List<Trip> ReadTripped()
    {
        try
        {
            return File.Exists(_trippedPath)
                ? JsonNode.Parse(File.ReadAllBytes(_trippedPath))!.AsArray()
                    .Select(n => new Trip(n!["pipeline"]!.GetValue<string>(), n["name"]!.GetValue<string>(), n["version"]!.GetValue<string>()))
                    .ToList()
                : [];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return [];
        }
    }

    private void WriteTripped()
    {
        var array = new JsonArray();
        foreach (var trip in _tripped.TakeLast(100))
        {
            // The JsonNode overload: the generic Add<T> would serialise by reflection (not trim- or AOT-safe).
            array.Add((JsonNode)new JsonObject { ["pipeline"] = trip.Pipeline, ["name"] = trip.Name, ["version"] = trip.Version });
        }

        AtomicFile.Write(_trippedPath, BundleSignature.Utf8(array.ToJsonString()));
    }

    /// <summary>A model that crashed the agent while being deployed to a pipeline.</summary>
    public sealed record Trip(string Pipeline, string Name, string Version);
}
