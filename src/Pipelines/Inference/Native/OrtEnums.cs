namespace EdgeAgent.Pipelines.Inference.Native;

// The C enums we pass by value; values from onnxruntime_c_api.h.
internal static class OrtLoggingLevel
{
    public const int Warning = 2;
    public const int Error = 3;
    public const int Fatal = 4;
}

internal static class OrtAllocatorType
{
    public const int Device = 0;
    public const int Arena = 1;
}

internal static class OrtMemType
{
    public const int Default = 0;
}

internal static class OnnxType
{
    public const int Tensor = 1;
}
