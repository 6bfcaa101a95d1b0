namespace EdgeAgent.Pipelines.Inference;

/// <summary>Configuration names of execution providers, with ORT's append name and the name GetAvailableProviders lists.</summary>
public static class ExecutionProviderNames
{
    private static readonly Dictionary<string, (string AppendName, string ProviderName)> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        ["cpu"] = ("CPU", "CPUExecutionProvider"),
        ["xnnpack"] = ("XNNPACK", "XnnpackExecutionProvider"),
        ["openvino"] = ("OpenVINO", "OpenVINOExecutionProvider"),
        ["cuda"] = ("CUDA", "CUDAExecutionProvider"),
        ["tensorrt"] = ("TensorRT", "TensorrtExecutionProvider"),
        ["qnn"] = ("QNN", "QNNExecutionProvider"),
        ["webgpu"] = ("WebGPU", "WebGpuExecutionProvider"),
        ["armnn"] = ("ArmNN", "ArmNNExecutionProvider"),
        ["acl"] = ("ACL", "ACLExecutionProvider"),
        ["coreml"] = ("CoreML", "CoreMLExecutionProvider"),
        ["dnnl"] = ("DNNL", "DnnlExecutionProvider"),
        ["vitisai"] = ("VitisAI", "VitisAIExecutionProvider"),
    };

    public static IEnumerable<string> Known => Map.Keys;

    public static bool IsKnown(string name) => Map.ContainsKey(name);

    public static string AppendName(string name) => Map[name].AppendName;

    public static string ProviderName(string name) => Map[name].ProviderName;
}
