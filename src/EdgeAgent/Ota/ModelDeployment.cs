using System.Collections.Concurrent;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// The pipelines' side of an update, the same for every kind of pipeline: the candidate is loaded in its own
/// session (shared arena) through the pipeline's model slot, checked against the pipeline, smoke-tested and warmed
/// up before the swap, so the loop's pause is the swap itself; optionally shadowed on live windows or frames
/// (ModelDeployment.Shadow.cs); then swapped in with its manifest (threshold, standardisation) between two windows
/// or frames and watched, and swapped back if it turns unhealthy. It talks to the pipelines only through
/// <see cref="IModelSlot"/>.
/// </summary>
public sealed partial class ModelDeployment : IModelDeployment
{
    private readonly IReadOnlyDictionary<string, PipelineOptions> _options;
    private readonly Func<string, IModelSlot?> _slots;
    private readonly Func<InferenceRuntime> _runtime;
    private readonly ModelStore _store;
    private readonly OtaOptions _ota;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ServingManifest?> _serving = new(StringComparer.Ordinal);
    private readonly CandidateValidator? _validator;
    private int _busy;

    /// <param name="slots">Finds a running pipeline's model slot by name (null when it is not running).</param>
    public ModelDeployment(IEnumerable<PipelineOptions> pipelines, Func<string, IModelSlot?> slots, Func<InferenceRuntime> runtime,
        ModelStore store, OtaOptions ota, ILogger<ModelDeployment> logger, CandidateValidator? validator = null)
    {
        _validator = validator;
        _options = pipelines.Where(p => p.Enabled).ToDictionary(p => p.Name, StringComparer.Ordinal);
        Pipelines = _options.Keys.ToHashSet(StringComparer.Ordinal);
        _slots = slots;
        _runtime = runtime;
        _store = store;
        _ota = ota;
        _logger = logger;
        foreach (var pipeline in Pipelines)
        {
            if (store.Active(pipeline) is { PreviousName: { } name, PreviousVersion: { } version })
            {
                _previous[pipeline] = (name, version);
            }
        }
    }

    public IReadOnlySet<string> Pipelines { get; }

    /// <summary>The last forward swap (its pause and the window or frame count at which it happened), for status and benchmarks.</summary>
    public SwapOutcome? LastSwap { get; private set; }

    public bool Busy => Volatile.Read(ref _busy) != 0;

    public (string Name, string Version)? Serving(string pipeline) => ServingManifest(pipeline) is { } m ? (m.Name, m.Version) : null;

    public string? ModelName(string pipeline) => ServingManifest(pipeline)?.Name ?? _store.Active(pipeline)?.Name;

    public async Task<DeploymentFailure?> DeployAsync(string pipeline, StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _busy, 1);
        try
        {
            return await DeployCoreAsync(pipeline, model, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Exchange(ref _busy, 0);
        }
    }

    private async Task<DeploymentFailure?> DeployCoreAsync(string pipeline, StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken)
    {
        if (!_options.TryGetValue(pipeline, out var options))
        {
            return new DeploymentFailure(RejectionReason.UnknownPipeline, $"pipeline '{pipeline}' is not a pipeline on this device", false);
        }

        if (ReadManifest(options.Kind, model, out var manifest) is { } invalid)
        {
            return invalid;
        }

        if (_slots(pipeline) is not { } live)
        {
            // Configured but not running: its model could not be used. There is nothing to swap or watch; once the
            // coordinator activates this version the pipeline's next rebuild loads (and checks) it. This is how a
            // device whose model broke is repaired remotely.
            _serving[pipeline] = manifest ?? new ServingManifest(model.Name, model.Version, null);
            LogRepairing(_logger, pipeline, model.Name, model.Version);
            return null;
        }

        // First in a child process under memory and time limits: a candidate that crashes, hangs, eats memory or is
        // too slow for the pipeline never gets near this process.
        if (_validator is not null && await _validator.ValidateAsync(pipeline, model, live.LatestInput(),
                PipelinePeriod.Milliseconds(options), cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var candidate = Validate(options, live, model, out var failure);
        if (candidate is null)
        {
            return failure;
        }

        if (await ShadowAsync(options, live, candidate, manifest, model, progress, cancellationToken).ConfigureAwait(false) is { } rejected)
        {
            return rejected;
        }

        var previousManifest = ServingManifest(pipeline);
        var previousThreshold = live.RaiseThreshold;
        var timeout = TimeSpan.FromSeconds(_ota.SwapTimeoutSeconds);
        if (await live.SwapAsync(candidate, manifest, null, timeout, cancellationToken).ConfigureAwait(false) is not { } swap)
        {
            candidate.Dispose();
            return new DeploymentFailure(RejectionReason.Conflict,
                $"pipeline '{pipeline}' did not reach its next {(live.Unit == "frames" ? "frame" : "window")} within {_ota.SwapTimeoutSeconds}s (is its input running?); the previous model keeps serving", false);
        }

        LastSwap = swap;
        LogSwapped(_logger, pipeline, model.Name, model.Version, swap.Pause.TotalMilliseconds);
        _serving[pipeline] = manifest ?? new ServingManifest(model.Name, model.Version, null);
        var unhealthy = await SwapSteps.WatchAsync(() => live.Counters, live.Unit, _ota, cancellationToken).ConfigureAwait(false);
        if (unhealthy is null)
        {
            swap.Previous.Dispose();
            if (previousManifest is not null)
            {
                _previous[pipeline] = (previousManifest.Name, previousManifest.Version);
            }

            return null;
        }

        // Swap the previous model back with its threshold and standardisation; the candidate is disposed once the loop no longer uses it.
        var back = await live.SwapAsync(swap.Previous, previousManifest, previousThreshold, timeout, CancellationToken.None).ConfigureAwait(false);
        if (back is not null)
        {
            back.Previous.Dispose();
            _serving[pipeline] = previousManifest;
        }

        LogRolledBack(_logger, pipeline, model.Name, model.Version, unhealthy);
        return new DeploymentFailure(RejectionReason.UnhealthyAfterSwap, unhealthy, back is not null);
    }

    private ModelCandidate? Validate(PipelineOptions options, IModelSlot live, StoredModel model, out DeploymentFailure? failure)
    {
        failure = null;
        ModelCandidate candidate;
        try
        {
            candidate = live.Load(_runtime(), options, model.ModelPath);
        }
        catch (ModelLoadException ex)
        {
            failure = new DeploymentFailure(RejectionReason.NotAModel, $"{model.Name} {model.Version}: {ex.Message}", false);
            return null;
        }
        catch (InvalidDataException ex)
        {
            failure = new DeploymentFailure(RejectionReason.SignatureMismatch, $"{model.Name} {model.Version}: {ex.Message}", false);
            return null;
        }

        // The smoke test's last run is on the latest input (or the golden one): outputs of 1e8 there would score
        // every window or frame as an anomaly.
        var reason = live.Fit(candidate) is { } misfit ? (RejectionReason.SignatureMismatch, $"does not fit pipeline '{options.Name}': {misfit}")
            : live.SmokeTest(candidate, model.ManifestPath) is { } smoke ? (RejectionReason.SmokeTestFailed, smoke)
            : ModelPlausibility.CheckOutputs(candidate.Output) is { } implausible ? (RejectionReason.Implausible, implausible)
            : ((RejectionReason, string)?)null;
        if (reason is not { } r)
        {
            return candidate;
        }

        candidate.Dispose();
        failure = new DeploymentFailure(r.Item1, $"{model.Name} {model.Version}{(r.Item1 == RejectionReason.SignatureMismatch ? " " : ": ")}{r.Item2}", false);
        return null;
    }

    /// <summary>Reads a stored model's model.json for the pipeline's kind; a wrong type or an implausible value is a typed failure.</summary>
    private static DeploymentFailure? ReadManifest(PipelineKind kind, StoredModel model, out ServingManifest? manifest)
    {
        manifest = null;
        try
        {
            manifest = EdgeAgent.Pipelines.Models.ServingManifest.Read(kind, model.ManifestPath);
            return null;
        }
        catch (InvalidDataException ex)
        {
            var reason = ex.Message.Contains("plausible", StringComparison.Ordinal) ? RejectionReason.Implausible : RejectionReason.InvalidManifest;
            return new DeploymentFailure(reason, $"{model.Name} {model.Version}: {ex.Message}", false);
        }
    }

    /// <summary>What a pipeline serves: what a deployment swapped in, else what it started with (<see cref="ModelResolver"/>).</summary>
    private ServingManifest? ServingManifest(string pipeline) =>
        _serving.TryGetValue(pipeline, out var known) ? known
        : _serving[pipeline] = _options.TryGetValue(pipeline, out var options) ? ModelResolver.ServingAtStart(_store, options) : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline} is not running; {Name} {Version} becomes its active model and is loaded at its next rebuild")]
    private static partial void LogRepairing(ILogger logger, string pipeline, string name, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: swapped in {Name} {Version} (pause {PauseMs} ms); watching its health")]
    private static partial void LogSwapped(ILogger logger, string pipeline, string name, string version, double pauseMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: {Name} {Version} rolled back: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string pipeline, string name, string version, string reason);
}
