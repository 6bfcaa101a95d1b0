using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Preprocessing;
using EdgeAgent.Pipelines.Processing;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// The sensor pipelines' side of an update: the candidate is loaded in its own session (shared arena), checked
/// against the pipeline, smoke-tested and warmed up before the swap, so the loop's pause is the swap itself;
/// optionally shadows the active model on live windows (SensorModelDeployment.Shadow.cs); then it is swapped in
/// between two windows and watched, and swapped back if it turns unhealthy.
/// </summary>
public sealed partial class SensorModelDeployment : IModelDeployment
{
    private readonly IReadOnlyDictionary<string, PipelineOptions> _options;
    private readonly Func<string, SensorPipeline?> _pipelines;
    private readonly Func<InferenceRuntime> _runtime;
    private readonly ModelStore _store;
    private readonly OtaOptions _ota;
    private readonly ILogger _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SensorModelManifest?> _serving = new(StringComparer.Ordinal);
    private readonly CandidateValidator? _validator;
    private int _busy;

    /// <param name="pipelines">Finds a running pipeline by name (null when it is not running).</param>
    public SensorModelDeployment(IEnumerable<PipelineOptions> pipelines, Func<string, SensorPipeline?> running, Func<InferenceRuntime> runtime,
        ModelStore store, OtaOptions ota, ILogger<SensorModelDeployment> logger, CandidateValidator? validator = null)
    {
        _validator = validator;
        _options = pipelines.Where(p => p.Enabled && p.Kind == PipelineKind.Sensor).ToDictionary(p => p.Name, StringComparer.Ordinal);
        Pipelines = _options.Keys.ToHashSet(StringComparer.Ordinal);
        _pipelines = running;
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

    /// <summary>The last forward swap (its pause and the window count at which it happened), for status and benchmarks.</summary>
    public ModelSwap<IWindowModel>? LastSwap { get; private set; }

    /// <summary>True while an update is being validated, swapped or watched.</summary>
    public bool Busy => Volatile.Read(ref _busy) != 0;

    /// <summary>The name and version a pipeline's loop runs now (null when its model has no manifest).</summary>
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
            return new DeploymentFailure(RejectionReason.UnknownPipeline, $"pipeline '{pipeline}' is not a sensor pipeline on this device", false);
        }

        if (_pipelines(pipeline) is not { } live)
        {
            // Configured but not running: its model could not be used. There is nothing to swap or watch; once the
            // coordinator activates this version the pipeline's next rebuild loads (and checks) it. This is how a
            // device whose model broke is repaired remotely.
            if (ReadManifest(model, out var repaired) is { } invalid)
            {
                return invalid;
            }

            _serving[pipeline] = repaired;
            LogRepairing(_logger, pipeline, model.Name, model.Version);
            return null;
        }

        // First in a child process under memory and time limits: a candidate that crashes, hangs, eats memory or is
        // too slow for the pipeline never gets near this process.
        if (_validator is not null && await _validator.ValidateAsync(pipeline, model, System.Runtime.InteropServices.MemoryMarshal.AsBytes(live.Model.Input).ToArray(),
                PipelinePeriod.Milliseconds(options), cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var candidate = Validate(options, live, model, out var manifest, out var failure);
        if (candidate is null)
        {
            return failure;
        }

        if (await ShadowAsync(options, live, candidate, manifest, model, progress, cancellationToken).ConfigureAwait(false) is { } rejected)
        {
            return rejected;
        }

        var previousManifest = ServingManifest(pipeline);
        var swapped = await SwapAsync(live, candidate, manifest, cancellationToken).ConfigureAwait(false);
        if (swapped is null)
        {
            candidate.Dispose();
            return new DeploymentFailure(RejectionReason.Conflict,
                $"pipeline '{pipeline}' did not reach its next window within {_ota.SwapTimeoutSeconds}s (is its source running?); the previous model keeps serving", false);
        }

        var (previous, swap) = swapped.Value;
        LastSwap = swap;
        LogSwapped(_logger, pipeline, model.Name, model.Version, swap.Pause.TotalMilliseconds);
        _serving[pipeline] = manifest;
        var unhealthy = await WatchAsync(live, cancellationToken).ConfigureAwait(false);
        if (unhealthy is null)
        {
            (previous as IDisposable)?.Dispose();
            if (previousManifest is not null)
            {
                _previous[pipeline] = (previousManifest.Name, previousManifest.Version);
            }

            return null;
        }

        // Swap the previous model back; the candidate is disposed once the loop no longer uses it.
        var back = await SwapAsync(live, previous, previousManifest, CancellationToken.None).ConfigureAwait(false);
        if (back is not null)
        {
            candidate.Dispose();
            _serving[pipeline] = previousManifest;
        }

        LogRolledBack(_logger, pipeline, model.Name, model.Version, unhealthy);
        return new DeploymentFailure(RejectionReason.UnhealthyAfterSwap, unhealthy, back is not null);
    }

    private OnnxWindowModel? Validate(PipelineOptions options, SensorPipeline live, StoredModel model, out SensorModelManifest? manifest, out DeploymentFailure? failure)
    {
        manifest = null;
        failure = null;
        ModelBinding binding;
        try
        {
            // A fresh feature pipeline: the check must not touch the live one's standardisation.
            binding = PipelineModelLoader.Load(_runtime(), options, SensorPipelineFactory.CreateFeatures(options), model.ModelPath);
        }
        catch (AgentStartupException ex)
        {
            var reason = ex.InnerException is ModelLoadException ? RejectionReason.NotAModel : RejectionReason.SignatureMismatch;
            failure = new DeploymentFailure(reason, ex.Message, false);
            return null;
        }

        var candidate = (OnnxWindowModel)binding.Model;
        if (candidate.Output.Length != live.Model.Output.Length)
        {
            candidate.Dispose();
            failure = new DeploymentFailure(RejectionReason.SignatureMismatch,
                $"{model.Name} {model.Version} yields {candidate.Output.Length} output values but pipeline '{options.Name}' scores {live.Model.Output.Length}", false);
            return null;
        }

        if ((failure = ReadManifest(model, out manifest)) is not null)
        {
            candidate.Dispose();
            return null;
        }

        var smoke = SmokeTest.Run(candidate, live.Model, model.ManifestPath);
        if (smoke is not null)
        {
            candidate.Dispose();
            failure = new DeploymentFailure(RejectionReason.SmokeTestFailed, $"{model.Name} {model.Version}: {smoke}", false);
            return null;
        }

        // The smoke test's last run is on the latest window's (or the golden) features: outputs of 1e8 there would
        // score every window as an anomaly.
        if (ModelPlausibility.CheckOutputs(candidate.Output) is { } implausible)
        {
            candidate.Dispose();
            failure = new DeploymentFailure(RejectionReason.Implausible, $"{model.Name} {model.Version}: {implausible}", false);
            return null;
        }

        return candidate;
    }

    /// <summary>Reads the sensor part of a stored model's model.json; a wrong type or an implausible value is a typed failure.</summary>
    private static DeploymentFailure? ReadManifest(StoredModel model, out SensorModelManifest? manifest)
    {
        manifest = null;
        if (!File.Exists(model.ManifestPath))
        {
            return null;
        }

        try
        {
            manifest = SensorModelManifest.From(ModelManifest.Parse(File.ReadAllBytes(model.ManifestPath)));
            return null;
        }
        catch (InvalidDataException ex)
        {
            var reason = ex.Message.Contains("plausible", StringComparison.Ordinal) ? RejectionReason.Implausible : RejectionReason.InvalidManifest;
            return new DeploymentFailure(reason, $"{model.Name} {model.Version}: {ex.Message}", false);
        }
    }

    private async Task<(IWindowModel Previous, ModelSwap<IWindowModel> Swap)?> SwapAsync(SensorPipeline live, IWindowModel model, SensorModelManifest? manifest, CancellationToken cancellationToken)
    {
        var standardization = live.Features.Standardization;
        // Standardisation and threshold travel with the model: both change in the same step as the model itself.
        var swap = new ModelSwap<IWindowModel>(model, manifest is null ? null : () =>
        {
            standardization?.Set(manifest.Mean, manifest.Std);
            live.Alert.UseModelThreshold(manifest.Threshold);
        });
        return await SwapSteps.HandOverAsync(swap, live.RequestSwap, live.CancelSwap, _ota, cancellationToken).ConfigureAwait(false)
            ? (await swap.Completion.ConfigureAwait(false), swap)
            : null;
    }

    private Task<string?> WatchAsync(SensorPipeline live, CancellationToken cancellationToken) =>
        SwapSteps.WatchAsync(() => new SwapSteps.ModelCounters(live.ModelErrors, live.NonFiniteScores, live.Scored, live.RunTicks), "windows", _ota, cancellationToken);

    private SensorModelManifest? ServingManifest(string pipeline)
    {
        if (_serving.TryGetValue(pipeline, out var known))
        {
            return known;
        }

        string? manifestPath = null;
        if (_store.Active(pipeline) is { } active && _store.Find(active.Name, active.Version) is { } stored)
        {
            manifestPath = stored.ManifestPath;
        }
        else if (_options.TryGetValue(pipeline, out var options) && options.Model.Path.Length > 0)
        {
            manifestPath = Path.Combine(Path.GetDirectoryName(PipelineModelLoader.Resolve(options.Model.Path))!, ModelManifest.FileName);
        }

        var manifest = manifestPath is not null && File.Exists(manifestPath)
            ? SensorModelManifest.From(ModelManifest.Parse(File.ReadAllBytes(manifestPath)))
            : null;
        _serving[pipeline] = manifest;
        return manifest;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline} is not running; {Name} {Version} becomes its active model and is loaded at its next rebuild")]
    private static partial void LogRepairing(ILogger logger, string pipeline, string name, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: swapped in {Name} {Version} (pause {PauseMs} ms); watching its health")]
    private static partial void LogSwapped(ILogger logger, string pipeline, string name, string version, double pauseMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: {Name} {Version} rolled back: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string pipeline, string name, string version, string reason);
}
