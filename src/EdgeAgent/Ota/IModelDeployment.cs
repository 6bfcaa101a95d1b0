using EdgeAgent.Ota.Store;

namespace EdgeAgent.Ota;

/// <summary>
/// The running pipelines' side of an update, as the coordinator and the watchers see it: load the candidate beside
/// the active model, check that it fits the pipeline and passes its smoke test (and shadow period), swap it in
/// between two windows or frames, and watch it. Implemented by <see cref="ModelDeployment"/> over the pipelines'
/// model slots; the coordinator owns everything before (download, verify, store).
/// </summary>
public interface IModelDeployment
{
    IReadOnlySet<string> Pipelines { get; }

    /// <summary>True while an update is being validated, swapped or watched.</summary>
    bool Busy { get; }

    /// <summary>The name and version a pipeline's loop runs now (null when unknown or without a manifest).</summary>
    (string Name, string Version)? Serving(string pipeline);

    /// <summary>The name of the model a pipeline serves now (a dropped bundle goes to every pipeline serving its name).</summary>
    string? ModelName(string pipeline);

    /// <summary>Deploys the stored model to a pipeline; reports progress through <paramref name="progress"/>.</summary>
    /// <returns>Null when the model serves and stayed healthy; otherwise why it was rejected or rolled back.</returns>
    Task<DeploymentFailure?> DeployAsync(string pipeline, StoredModel model, Action<UpdateState> progress, CancellationToken cancellationToken);
}

/// <summary>Why a candidate did not become (or stay) active; <see cref="RolledBack"/> when it had been swapped in.</summary>
public sealed record DeploymentFailure(RejectionReason Reason, string Message, bool RolledBack);
