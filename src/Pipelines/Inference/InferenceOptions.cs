using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Inference;

public enum GraphOptimization
{
    Disabled,
    Basic,
    Extended,
    All,
}

public enum ExecutionMode
{
    Sequential,
    Parallel,
}

public sealed class InferenceOptions : IValidatedOptions
{
    [Description("Path of libonnxruntime.so (e.g. an ORT build with OpenVINO, ACL or CUDA). Default: $EDGEAGENT_ORT_LIB, then the copy install.sh placed beside the agent, then the system's.")]
    public string RuntimeLibrary { get; set; } = string.Empty;

    [Description("The one CPU memory arena all models share; its budget caps what inference may allocate.")]
    public ArenaOptions Arena { get; set; } = new();

    [Description("Execution providers in order of preference, e.g. [\"openvino\", \"xnnpack\", \"cpu\"]. Unavailable ones are logged once and skipped; cpu is always the last resort. Default: [\"cpu\"].")]
    public List<string> ExecutionProviders { get; set; } = [];

    [Description("Threads one model uses inside an operator; 0 lets ONNX Runtime choose (one per core).")]
    [Range(0, 256)]
    public int IntraOpThreads { get; set; }

    [Description("Threads running independent operators at once (executionMode parallel only); 0 lets ONNX Runtime choose.")]
    [Range(0, 256)]
    public int InterOpThreads { get; set; }

    [Description("sequential (default, best for small models) or parallel operator execution.")]
    public ExecutionMode ExecutionMode { get; set; } = ExecutionMode.Sequential;

    [Description("Graph optimisation level: disabled, basic, extended or all.")]
    public GraphOptimization GraphOptimization { get; set; } = GraphOptimization.All;

    [Description("Directory where optimised models are kept, so a device does not re-optimise at every boot. Empty: no cache.")]
    public string OptimizedModelCache { get; set; } = string.Empty;

    [Description("Directory for ONNX Runtime's JSON profiles (one file per model load). Empty: profiling off.")]
    public string ProfilingDirectory { get; set; } = string.Empty;

    public void Validate(string path, ICollection<ConfigError> errors)
    {
        foreach (var (name, index) in ExecutionProviders.Select((n, i) => (n, i)))
        {
            if (!ExecutionProviderNames.IsKnown(name))
            {
                errors.Add(new ConfigError($"{path}.executionProviders[{index}]",
                    $"'{name}' is not an execution provider the agent knows; use one of {string.Join(", ", ExecutionProviderNames.Known)}"));
            }
        }
    }
}
