using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Processing;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Ota;

/// <summary>
/// The camera pipelines' side of an update: the candidate scene model is loaded in its own session (shared arena),
/// checked against the pipeline's image tensor (size, layout, element type; the camera's channels) and output,
/// smoke-tested and warmed up; then (with <c>ota.shadow.seconds</c>) shadowed on live frames beside the active model,
/// swapped in between two frames and watched, and swapped back if it turns unhealthy.
/// </summary>
public sealed partial class CameraModelDeployment : IModelDeployment
{
    private readonly IReadOnlyDictionary<string, PipelineOptions> _options;
    private readonly Func<string, CameraPipeline?> _pipelines;
    private readonly Func<InferenceRuntime> _runtime;
    private readonly ModelStore _store;
    private readonly OtaOptions _ota;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, (string Name, string Version)?> _serving = new(StringComparer.Ordinal);
    private readonly CandidateValidator? _validator;
    private int _busy;

    /// <param name="running">Finds a running camera pipeline by name (null when it is not running).</param>
    public CameraModelDeployment(IEnumerable<PipelineOptions> pipelines, Func<string, CameraPipeline?> running, Func<InferenceRuntime> runtime,
        ModelStore store, OtaOptions ota, ILogger<CameraModelDeployment> logger, CandidateValidator? validator = null)
    {
        _validator = validator;
        _options = pipelines.Where(p => p.Enabled && p.Kind == PipelineKind.Camera).ToDictionary(p => p.Name, StringComparer.Ordinal);
        Pipelines = _options.Keys.ToHashSet(StringComparer.Ordinal);
        _pipelines = running;
        _runtime = runtime;
        _store = store;
        _ota = ota;
        _logger = logger;
    }

    public IReadOnlySet<string> Pipelines { get; }

    /// <summary>The last forward swap (its pause and the frame count at which it happened), for status and tests.</summary>
    public ModelSwap<CameraModel>? LastSwap { get; private set; }

    /// <summary>True while an update is being validated, swapped or watched.</summary>
    public bool Busy => Volatile.Read(ref _busy) != 0;

    /// <summary>The name and version a pipeline's loop runs now (null when its model has no manifest).</summary>
    public (string Name, string Version)? Serving(string pipeline) => _serving.GetOrAdd(pipeline, ServingAtStart);

    public string? ModelName(string pipeline) => Serving(pipeline)?.Name ?? _store.Active(pipeline)?.Name;

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
            return new DeploymentFailure(RejectionReason.UnknownPipeline, $"pipeline '{pipeline}' is not a camera pipeline on this device", false);
        }

        if (_pipelines(pipeline) is not { } live)
        {
            // Its model could not be used, so nothing runs to check, swap or watch: the repair path of a sensor
            // pipeline. The coordinator activates this version and the pipeline's next rebuild loads it.
            _serving[pipeline] = (model.Name, model.Version);
            LogRepairing(_logger, pipeline, model.Name, model.Version);
            return null;
        }

        // First in a child process under memory and time limits (CandidateValidator).
        if (_validator is not null && await _validator.ValidateAsync(pipeline, model, live.Model.InputTensor.AsBytes().ToArray(),
                PipelinePeriod.Milliseconds(options), cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var candidate = Validate(options, live, model, out var failure);
        if (candidate is null)
        {
            return failure;
        }

        var (threshold, invalid) = Threshold(model);
        if (invalid is not null)
        {
            candidate.Dispose();
            return invalid;
        }

        if (await ShadowAsync(options, live, candidate, threshold, model, progress, cancellationToken).ConfigureAwait(false) is { } rejected)
        {
            return rejected;
        }

        var previousServing = Serving(pipeline);
        var previousThreshold = live.Alert.RaiseThreshold;
        var swap = await SwapAsync(live, candidate, threshold, cancellationToken).ConfigureAwait(false);
        if (swap is null)
        {
            candidate.Dispose();
            return new DeploymentFailure(RejectionReason.Conflict,
                $"pipeline '{pipeline}' did not reach its next frame within {_ota.SwapTimeoutSeconds}s (is its camera streaming?); the previous model keeps serving", false);
        }

        var previous = await swap.Completion.ConfigureAwait(false);
        LastSwap = swap;
        _serving[pipeline] = (model.Name, model.Version);
        LogSwapped(_logger, pipeline, model.Name, model.Version, swap.Pause.TotalMilliseconds);
        var unhealthy = await WatchAsync(live, cancellationToken).ConfigureAwait(false);
        if (unhealthy is null)
        {
            previous.Dispose();
            if (previousServing is { } served)
            {
                _previous[pipeline] = served;
            }

            return null;
        }

        // Swap the previous model back; the candidate is disposed once the loop no longer uses it.
        var back = await SwapAsync(live, previous, previousThreshold, CancellationToken.None).ConfigureAwait(false);
        if (back is not null)
        {
            (await back.Completion.ConfigureAwait(false)).Dispose();
            _serving[pipeline] = previousServing;
        }

        LogRolledBack(_logger, pipeline, model.Name, model.Version, unhealthy);
        return new DeploymentFailure(RejectionReason.UnhealthyAfterSwap, unhealthy, back is not null);
    }

    private CameraModel? Validate(PipelineOptions options, CameraPipeline live, StoredModel model, out DeploymentFailure? failure)
    {
        failure = null;
        ModelSession session;
        try
        {
            session = _runtime().LoadModel(model.ModelPath, new ModelLoadOptions { IntraOpThreads = options.Model.IntraOpThreads });
        }
        catch (ModelLoadException ex)
        {
            failure = new DeploymentFailure(RejectionReason.NotAModel, $"{model.Name} {model.Version}: {ex.Message}", false);
            return null;
        }

        CameraModel candidate;
        try
        {
            candidate = new CameraModel(session, options.Model.Input, options.Model.Output, CameraPipelineFactory.CameraOf(options).Channels);
        }
        catch (InvalidDataException ex)
        {
            session.Dispose();
            failure = new DeploymentFailure(RejectionReason.SignatureMismatch, $"{model.Name} {model.Version}: {ex.Message}", false);
            return null;
        }

        var reason = live.Fit(candidate) is { } misfit ? (RejectionReason.SignatureMismatch, misfit)
            : CameraSmokeTest.Run(candidate, live.Model, model.ManifestPath) is { } smoke ? (RejectionReason.SmokeTestFailed, smoke)
            : ModelPlausibility.CheckOutputs(candidate.Output) is { } implausible ? (RejectionReason.Implausible, implausible)
            : ((RejectionReason, string)?)null;
        if (reason is { } r)
        {
            candidate.Dispose();
            var what = r.Item1 == RejectionReason.SignatureMismatch ? $"does not fit pipeline '{options.Name}': " : string.Empty;
            failure = new DeploymentFailure(r.Item1, $"{model.Name} {model.Version} {what}{r.Item2}", false);
            return null;
        }

        return candidate;
    }

    private async Task<ModelSwap<CameraModel>?> SwapAsync(CameraPipeline live, CameraModel model, double? threshold, CancellationToken cancellationToken)
    {
        // The alert threshold travels with the model: both change in the same step, on the loop thread.
        var swap = new ModelSwap<CameraModel>(model, threshold is { } t ? () => live.Alert.UseModelThreshold(t) : null);
        return await SwapSteps.HandOverAsync(swap, live.RequestSwap, live.CancelSwap, _ota, cancellationToken).ConfigureAwait(false) ? swap : null;
    }

    private async Task<string?> WatchAsync(CameraPipeline live, CancellationToken cancellationToken)
    {
        // A failing run must be counted, not stop the loop, while the watch decides whether to roll back.
        live.TolerateModelErrors = true;
        try
        {
            return await SwapSteps.WatchAsync(() => new SwapSteps.ModelCounters(live.ModelErrors, live.NonFiniteScores, live.ModelRuns - live.ModelErrors, live.RunTicks),
                "frames", _ota, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            live.TolerateModelErrors = false;
        }
    }

    private (string Name, string Version)? ServingAtStart(string pipeline)
    {
        if (_store.Active(pipeline) is { } active && _store.Find(active.Name, active.Version) is not null)
        {
            return (active.Name, active.Version);
        }

        if (!_options.TryGetValue(pipeline, out var options) || options.Model.Path.Length == 0)
        {
            return null;
        }

        var manifestPath = Path.Combine(Path.GetDirectoryName(PipelineModelLoader.Resolve(options.Model.Path))!, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return null;
        }

        var manifest = ModelManifest.Parse(File.ReadAllBytes(manifestPath));
        return (manifest.Name, manifest.Version);
    }

    /// <summary>The model's alert threshold from its model.json (null: none); a wrong type or an implausible value is a typed failure.</summary>
    private static (double? Threshold, DeploymentFailure? Failure) Threshold(StoredModel model)
    {
        if (!File.Exists(model.ManifestPath))
        {
            return (null, null);
        }

        try
        {
            var manifest = ModelManifest.Parse(File.ReadAllBytes(model.ManifestPath));
            if (!manifest.Document.TryGetProperty("threshold", out var value))
            {
                return (null, null);
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var threshold) || !double.IsFinite(threshold))
            {
                return (null, new DeploymentFailure(RejectionReason.InvalidManifest, $"{model.Name} {model.Version}: model.json: 'threshold' must be a number", false));
            }

            return ModelPlausibility.CheckSignedThreshold(threshold) is { } implausible
                ? (null, new DeploymentFailure(RejectionReason.Implausible, $"{model.Name} {model.Version}: model.json: {implausible}", false))
                : (threshold, null);
        }
        catch (InvalidDataException ex)
        {
            return (null, new DeploymentFailure(RejectionReason.InvalidManifest, $"{model.Name} {model.Version}: {ex.Message}", false));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera pipeline {Pipeline} is not running; {Name} {Version} becomes its active model and is loaded at its next rebuild")]
    private static partial void LogRepairing(ILogger logger, string pipeline, string name, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline {Pipeline}: swapped in {Name} {Version} (pause {PauseMs} ms); watching its health")]
    private static partial void LogSwapped(ILogger logger, string pipeline, string name, string version, double pauseMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline {Pipeline}: {Name} {Version} rolled back: {Reason}")]
    private static partial void LogRolledBack(ILogger logger, string pipeline, string name, string version, string reason);
}
