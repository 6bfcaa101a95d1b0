namespace EdgeAgent.Ota;

/// <summary>The latest update status of every pipeline; observers republish the reported state on each change.</summary>
public sealed class OtaStatusBoard
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PipelineModelStatus> _statuses = new(StringComparer.Ordinal);

    public event Action? Changed;

    public void Set(string pipeline, Func<PipelineModelStatus?, PipelineModelStatus> update)
    {
        lock (_lock)
        {
            _statuses[pipeline] = update(_statuses.GetValueOrDefault(pipeline));
        }

        Changed?.Invoke();
    }

    public IReadOnlyList<PipelineModelStatus> Snapshot()
    {
        lock (_lock)
        {
            return _statuses.Values.OrderBy(s => s.Pipeline, StringComparer.Ordinal).ToList();
        }
    }
}
