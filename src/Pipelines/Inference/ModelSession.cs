using System.Diagnostics;
using EdgeAgent.Pipelines.Inference.Native;
using EdgeAgent.Pipelines.Memory;

namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// A loaded model with its input and output tensors bound once over pinned buffers. Fill <see cref="Inputs"/>,
/// call <see cref="Run"/>, read <see cref="Outputs"/>: in steady state that allocates no managed memory.
/// Not thread-safe: one pipeline loop owns a session.
/// </summary>
public sealed partial class ModelSession : IDisposable
{
    private readonly InferenceRuntime _runtime;
    private readonly NativeSession _native;
    private readonly NativeBinding _binding;
    private readonly NativeBinding?[] _rowBindings;
    private readonly List<OrtValueHandle> _rowValues = [];
    private readonly Dictionary<string, TensorBuffer> _byName;
    private bool _disposed;

    private ModelSession(InferenceRuntime runtime, string path, NativeSession native, NativeBinding binding, int batchCapacity, ModelMetadata metadata, TensorBuffer[] inputs, TensorBuffer[] outputs,
        IReadOnlyList<string> providers, bool fromCache, TimeSpan creationTime, TimeSpan loadTime)
    {
        _runtime = runtime;
        Path = path;
        _native = native;
        _binding = binding;
        BatchCapacity = batchCapacity;
        _rowBindings = new NativeBinding?[batchCapacity + 1];
        Metadata = metadata;
        Inputs = inputs;
        Outputs = outputs;
        Providers = providers;
        LoadedFromCache = fromCache;
        CreationTime = creationTime;
        LoadTime = loadTime;
        _byName = inputs.Concat(outputs).ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    public ModelMetadata Metadata { get; }

    public IReadOnlyList<TensorBuffer> Inputs { get; }

    public IReadOnlyList<TensorBuffer> Outputs { get; }

    /// <summary>Execution providers this session was created with, in priority order (cpu last).</summary>
    public IReadOnlyList<string> Providers { get; }

    /// <summary>True when the optimised model from inference.optimizedModelCache was used instead of optimising again.</summary>
    public bool LoadedFromCache { get; }

    /// <summary>ORT's session creation alone: parsing, graph optimisation (what the cache saves), kernel set-up.</summary>
    public TimeSpan CreationTime { get; }

    /// <summary>Session creation, binding and warm-up together.</summary>
    public TimeSpan LoadTime { get; }

    public TensorBuffer Input(string name) => Find(name, Inputs);

    public TensorBuffer Output(string name) => Find(name, Outputs);

    /// <summary>
    /// The batch the buffers were sized for (the leading dynamic dim of the inputs), or 0 when the model has no
    /// dynamic batch dim. <see cref="Run(int)"/> runs fewer rows than this.
    /// </summary>
    public int BatchCapacity { get; }

    /// <summary>Runs the model on the current input buffers; results are in the output buffers when it returns.</summary>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _native.Run(_binding);
    }

    /// <summary>
    /// Runs only the first <paramref name="rows"/> rows of the batch (e.g. a backlog smaller than the batch): inputs
    /// are read from, and batched outputs written to, the first rows of the same buffers. The first run with a given
    /// row count sets up its tensors (and allocates); after that it allocates nothing.
    /// </summary>
    public void Run(int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)(rows - 1) >= (uint)BatchCapacity)
        {
            ThrowRows(rows);
        }

        _native.Run(_rowBindings[rows] ?? CreateRowBinding(rows));
    }

    /// <summary>The counters of the arena this session allocates from (the shared one when inference.arena is enabled).</summary>
    public IReadOnlyDictionary<string, long> ArenaStatistics() => _native.AllocatorStats(_runtime.Environment);

    /// <summary>Ends ORT profiling (enabled by <see cref="ModelLoadOptions.ProfilePrefix"/>) and returns the JSON profile's path.</summary>
    public string EndProfiling() => _native.EndProfiling();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _runtime.Untrack(this);
        _native.Dispose();
        _binding.Dispose();
        foreach (var binding in _rowBindings)
        {
            binding?.Dispose();
        }

        foreach (var value in _rowValues)
        {
            value.Dispose();
        }

        foreach (var tensor in _byName.Values)
        {
            tensor.Dispose();
        }

        // A session is disposed at a model swap or shutdown, never per run: worth handing its memory back at once.
        NativeHeap.Trim();
    }

    private NativeBinding CreateRowBinding(int rows)
    {
        if (rows == BatchCapacity)
        {
            return _rowBindings[rows] = _binding;
        }

        OrtValueHandle ValueOf(TensorBuffer tensor)
        {
            if (!tensor.IsBatched)
            {
                return tensor.Value;
            }

            var value = tensor.ValueForRows(_native, _runtime.Environment, rows);
            _rowValues.Add(value);
            return value;
        }

        return _rowBindings[rows] = new NativeBinding(Inputs.Select(ValueOf).ToArray(), Outputs.Select(ValueOf).ToArray());
    }

    private void ThrowRows(int rows) =>
        throw new ArgumentOutOfRangeException(nameof(rows), rows, BatchCapacity == 0
            ? $"model '{Path}' has no dynamic batch dimension; use Run()"
            : $"model '{Path}' was loaded for batches of up to {BatchCapacity} rows (ModelLoadOptions.BatchSize)");

    private TensorBuffer Find(string name, IReadOnlyList<TensorBuffer> list) =>
        _byName.TryGetValue(name, out var tensor) && list.Contains(tensor)
            ? tensor
            : throw new KeyNotFoundException($"model '{Path}' has no tensor '{name}'; it has {string.Join(", ", list.Select(t => t.Name))}");

    private static long ElapsedMilliseconds(long start) => (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
