namespace EdgeAgent.Ota;

/// <summary>
/// The coordinator's one <see cref="IModelDeployment"/>: routes each pipeline to the deployment of its kind
/// (sensor or camera), so download, verify and store stay one pipeline for every kind.
/// </summary>
public sealed class ModelDeploymentRouter : IModelDeployment
{
    private readonly SensorModelDeployment? _sensors;
    private readonly CameraModelDeployment? _cameras;

    public ModelDeploymentRouter(SensorModelDeployment? sensors, CameraModelDeployment? cameras)
    {
        _sensors = sensors;
        _cameras = cameras;
        var all = new HashSet<string>(StringComparer.Ordinal);
        all.UnionWith(sensors?.Pipelines ?? new HashSet<string>());
        all.UnionWith(cameras?.Pipelines ?? new HashSet<string>());
        Pipelines = all;
    }

    public IReadOnlySet<string> Pipelines { get; }

    /// <summary>True while any update is being validated, swapped or watched.</summary>
    public bool Busy => _sensors?.Busy == true || _cameras?.Busy == true;

    /// <summary>The name and version a pipeline's loop runs now (null when unknown or without a manifest).</summary>
    public (string Name, string Version)? Serving(string pipeline) =>
        IsCamera(pipeline) ? _cameras!.Serving(pipeline) : _sensors?.Serving(pipeline);

    public string? ModelName(string pipeline) => IsCamera(pipeline) ? _cameras!.ModelName(pipeline) : _sensors?.ModelName(pipeline);

    public Task<DeploymentFailure?> DeployAsync(string pipeline, StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken) =>
        IsCamera(pipeline) ? _cameras!.DeployAsync(pipeline, model, progress, cancellationToken)
        : _sensors is not null ? _sensors.DeployAsync(pipeline, model, progress, cancellationToken)
        : Task.FromResult<DeploymentFailure?>(new DeploymentFailure(RejectionReason.UnknownPipeline, $"pipeline '{pipeline}' is not a running pipeline on this device", false));

    private bool IsCamera(string pipeline) => _cameras?.Pipelines.Contains(pipeline) == true;
}
