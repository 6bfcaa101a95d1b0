using System.ComponentModel;

namespace EdgeAgent.Pipelines.Inference;

public sealed class InferenceOptions
{
    [Description("Path of libonnxruntime.so.1. Default: the copy install.sh placed beside the agent, then the system's.")]
    public string RuntimeLibrary { get; set; } = string.Empty;
}
