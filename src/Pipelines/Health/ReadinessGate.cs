namespace EdgeAgent.Pipelines.Health;

/// <summary>
/// READY=1 goes out once every registered component has started, or the grace period has passed. Components
/// register while the host is being built (in their constructors) and call <see cref="Started"/> when running.
/// Nothing that depends on the network registers here: an offline device must still become ready.
/// </summary>
public sealed class ReadinessGate
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource> _pending = new(StringComparer.Ordinal);

    public void Register(string name)
    {
        lock (_lock)
        {
            _pending.TryAdd(name, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }
    }

    public void Started(string name)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(name, out var completion))
            {
                completion.TrySetResult();
            }
        }
    }

    /// <summary>Waits for all registered components; returns the names of those still not started at the deadline.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        KeyValuePair<string, TaskCompletionSource>[] pending;
        lock (_lock)
        {
            pending = [.. _pending];
        }

        try
        {
            await Task.WhenAll(pending.Select(p => p.Value.Task)).WaitAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        return pending.Where(p => !p.Value.Task.IsCompleted).Select(p => p.Key).ToList();
    }
}
