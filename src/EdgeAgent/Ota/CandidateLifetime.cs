namespace EdgeAgent.Ota;

/// <summary>
/// A candidate session under trial (the shadow period) is owned by the trial until it is promoted: disposed when the
/// trial rejects it or throws, handed on untouched when it passes.
/// </summary>
internal static class CandidateLifetime
{
    public static async Task<DeploymentFailure?> DisposeUnlessPassedAsync(IDisposable candidate, Func<Task<DeploymentFailure?>> trial)
    {
        DeploymentFailure? failure;
        try
        {
            failure = await trial().ConfigureAwait(false);
        }
        catch
        {
            candidate.Dispose();
            throw;
        }

        if (failure is not null)
        {
            candidate.Dispose();
        }

        return failure;
    }
}
