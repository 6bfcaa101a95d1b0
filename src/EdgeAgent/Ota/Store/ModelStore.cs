using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Ota.Store;

/// <summary>
/// The on-device model store under <c>&lt;stateDirectory&gt;/models</c>. A version becomes visible only by an atomic
/// rename of a fully written and verified directory; which version each pipeline runs is in <c>active.json</c>,
/// replaced atomically. After a crash at any point the store is either as before or as after the step.
/// </summary>
public sealed class ModelStore
{
    public const string StateFileName = "active.json";
    private const string StagingFolder = ".staging";

    private readonly Lock _lock = new();
    private readonly bool _readOnly;

    public ModelStore(string stateDirectory)
    {
        Root = RootOf(stateDirectory);
        Directory.CreateDirectory(Root);
        // Leftovers of an update interrupted by a crash or power cut: never versions, safe to drop.
        var staging = Path.Combine(Root, StagingFolder);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private ModelStore(string root, bool readOnly)
    {
        Root = root;
        _readOnly = readOnly;
    }

    /// <summary>
    /// The store as the running agent left it, for a reader that must change nothing (replay, evaluate, doctor may run
    /// beside the agent, as another user): it creates, cleans and moves nothing. Null when there is no store there.
    /// </summary>
    public static ModelStore? OpenReadOnly(string stateDirectory)
    {
        var root = RootOf(stateDirectory);
        return Directory.Exists(root) ? new ModelStore(root, readOnly: true) : null;
    }

    /// <summary>Where the store of a state directory is (whether or not there is one yet).</summary>
    public static string RootOf(string stateDirectory) => Path.Combine(stateDirectory, "models");

    public string Root { get; }

    private string StatePath => Path.Combine(Root, StateFileName);

    /// <summary>
    /// Where the artifact with this SHA-256 is downloaded; kept across restarts so an interrupted download resumes.
    /// </summary>
    public string DownloadPath(string sha256)
    {
        var directory = Path.Combine(Root, ".downloads");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, sha256 + ".artifact");
    }

    /// <summary>A new empty directory on the store's filesystem, so the final move is a rename.</summary>
    public string CreateStagingDirectory()
    {
        var path = Path.Combine(Root, StagingFolder, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    public StoredModel Install(string staged, ModelManifest manifest)
    {
        lock (_lock)
        {
            var target = Path.Combine(Root, manifest.Name, manifest.Version);
            if (Directory.Exists(target))
            {
                var existing = ModelManifest.Parse(File.ReadAllBytes(Path.Combine(target, BundleFiles.Manifest)));
                Directory.Delete(staged, recursive: true);
                if (existing.Sha256 != manifest.Sha256)
                {
                    throw new OtaRejectedException(RejectionReason.Conflict,
                        $"{manifest.Name} version {manifest.Version} is already installed with different content; publish it under a new version");
                }

                return new StoredModel(manifest.Name, manifest.Version, target);
            }

            Directory.CreateDirectory(Path.Combine(Root, manifest.Name));
            AtomicFile.PublishDirectory(staged, target);
            Directory.SetLastWriteTimeUtc(target, DateTime.UtcNow);
            return new StoredModel(manifest.Name, manifest.Version, target);
        }
    }

    public StoredModel? Find(string name, string version)
    {
        var directory = Path.Combine(Root, name, version);
        return File.Exists(Path.Combine(directory, BundleFiles.Manifest)) ? new StoredModel(name, version, directory) : null;
    }

    /// <summary>Installed versions of a model, newest install first.</summary>
    public IReadOnlyList<StoredModel> Versions(string name)
    {
        var directory = Path.Combine(Root, name);
        return !Directory.Exists(directory)
            ? []
            : new DirectoryInfo(directory).EnumerateDirectories()
                .Where(d => File.Exists(Path.Combine(d.FullName, BundleFiles.Manifest)))
                .OrderByDescending(d => d.LastWriteTimeUtc)
                .Select(d => new StoredModel(name, d.Name, d.FullName))
                .ToList();
    }

    public IReadOnlyDictionary<string, ActiveModel> ActiveModels()
    {
        lock (_lock)
        {
            return ReadState();
        }
    }

    public ActiveModel? Active(string pipeline) => ActiveModels().GetValueOrDefault(pipeline);

    public ActiveModel Activate(string pipeline, StoredModel model)
    {
        lock (_lock)
        {
            var state = new Dictionary<string, ActiveModel>(ReadState());
            var current = state.GetValueOrDefault(pipeline);
            if (current is not null && current.Name == model.Name && current.Version == model.Version)
            {
                return current;
            }

            var active = new ActiveModel(pipeline, model.Name, model.Version, current?.Name, current?.Version, DateTimeOffset.UtcNow);
            state[pipeline] = active;
            WriteState(state);
            return active;
        }
    }

    /// <summary>Makes the previous version active again (and the current one the previous).</summary>
    public ActiveModel Rollback(string pipeline)
    {
        lock (_lock)
        {
            var state = new Dictionary<string, ActiveModel>(ReadState());
            if (!state.TryGetValue(pipeline, out var current) || current.PreviousName is null || current.PreviousVersion is null)
            {
                throw new OtaRejectedException(RejectionReason.MalformedRequest, $"pipeline '{pipeline}' has no previous model to roll back to");
            }

            if (Find(current.PreviousName, current.PreviousVersion) is null)
            {
                throw new OtaRejectedException(RejectionReason.MalformedRequest,
                    $"the previous model {current.PreviousName} {current.PreviousVersion} of pipeline '{pipeline}' is no longer in the store");
            }

            var rolledBack = new ActiveModel(pipeline, current.PreviousName, current.PreviousVersion, current.Name, current.Version, DateTimeOffset.UtcNow);
            state[pipeline] = rolledBack;
            WriteState(state);
            return rolledBack;
        }
    }

    /// <summary>Deletes the oldest versions of a model beyond <paramref name="keep"/>, never one a pipeline runs or may roll back to.</summary>
    public int Prune(string name, int keep)
    {
        lock (_lock)
        {
            var pinned = ReadState().Values
                .SelectMany(a => new[] { (a.Name, a.Version), (a.PreviousName, a.PreviousVersion) })
                .ToHashSet();
            var removed = 0;
            foreach (var old in Versions(name).Skip(keep).Where(v => !pinned.Contains((v.Name, v.Version))))
            {
                Directory.Delete(old.Directory, recursive: true);
                removed++;
            }

            return removed;
        }
    }

    private Dictionary<string, ActiveModel> ReadState()
    {
        if (!File.Exists(StatePath))
        {
            return [];
        }

        try
        {
            return ParseState(File.ReadAllBytes(StatePath));
        }
        catch (Exception ex) when (_readOnly && ex is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Not this reader's to repair (nor, as another user, always its to read): it goes on as if no version were active.
            Recovered = $"{StatePath} cannot be read ({ex.Message}); the configured models stand in for what it names";
            return [];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Written atomically, so this is disk damage or a hand edit. Pipelines fall back to their bundled
            // models; crash-looping over it would leave the device with nothing.
            var aside = $"{StatePath}.corrupt-{DateTime.UtcNow:yyyyMMddTHHmmss}";
            File.Move(StatePath, aside, overwrite: true);
            Recovered = $"{StatePath} was unreadable ({ex.Message}); moved to {aside}, pipelines use their bundled models";
            return [];
        }
    }

    /// <summary>Set when the state file was unreadable and moved aside (left as it is by a read-only store); the caller logs it.</summary>
    public string? Recovered { get; private set; }

    private static Dictionary<string, ActiveModel> ParseState(byte[] json)
    {
        var result = new Dictionary<string, ActiveModel>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var pipeline in document.RootElement.GetProperty("pipelines").EnumerateObject())
        {
            var value = pipeline.Value;
            result[pipeline.Name] = new ActiveModel(
                pipeline.Name,
                value.GetProperty("name").GetString()!,
                value.GetProperty("version").GetString()!,
                value.TryGetProperty("previousName", out var pn) ? pn.GetString() : null,
                value.TryGetProperty("previousVersion", out var pv) ? pv.GetString() : null,
                value.GetProperty("updated").GetDateTimeOffset());
        }

        return result;
    }

    private void WriteState(Dictionary<string, ActiveModel> state)
    {
        var pipelines = new JsonObject();
        foreach (var (pipeline, active) in state.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            pipelines[pipeline] = new JsonObject
            {
                ["name"] = active.Name,
                ["version"] = active.Version,
                ["previousName"] = active.PreviousName,
                ["previousVersion"] = active.PreviousVersion,
                ["updated"] = active.Updated.ToString("O"),
            };
        }

        var json = new JsonObject { ["pipelines"] = pipelines }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(StatePath, BundleSignature.Utf8(json));
    }
}
