namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// Index of each function pointer in <c>struct OrtApi</c> (include/onnxruntime/core/session/onnxruntime_c_api.h):
/// the struct only ever grows at the end, so an index is stable from the version that introduced the entry.
/// Counted from the header's member order; <see cref="OrtApi.SelfCheck"/> calls entries spread over the table
/// (0..2, 78, 93, 254) and compares what they return, because a wrong index fails silently.
/// </summary>
internal static class OrtSlot
{
    public const int CreateStatus = 0;
    public const int GetErrorCode = 1;
    public const int GetErrorMessage = 2;
    public const int CreateEnv = 3;
    public const int CreateEnvWithCustomLogger = 4;
    public const int CreateSession = 7;
    public const int CreateSessionFromArray = 8;
    public const int Run = 9;
    public const int CreateSessionOptions = 10;
    public const int SetOptimizedModelFilePath = 11;
    public const int SetSessionExecutionMode = 13;
    public const int EnableProfiling = 14;
    public const int SetSessionLogSeverityLevel = 22;
    public const int SetSessionGraphOptimizationLevel = 23;
    public const int SetIntraOpNumThreads = 24;
    public const int SetInterOpNumThreads = 25;
    public const int SessionGetInputCount = 30;
    public const int SessionGetOutputCount = 31;
    public const int SessionGetInputTypeInfo = 33;
    public const int SessionGetOutputTypeInfo = 34;
    public const int SessionGetInputName = 36;
    public const int SessionGetOutputName = 37;
    public const int CreateTensorWithDataAsOrtValue = 49;
    public const int GetTensorMutableData = 51;
    public const int CastTypeInfoToTensorInfo = 55;
    public const int GetOnnxTypeFromTypeInfo = 56;
    public const int GetTensorElementType = 60;
    public const int GetDimensionsCount = 61;
    public const int GetDimensions = 62;
    public const int GetSymbolicDimensions = 63;
    public const int GetTensorTypeAndShape = 65;
    public const int CreateCpuMemoryInfo = 69;
    public const int AllocatorFree = 76;
    public const int GetAllocatorWithDefaultOptions = 78;
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;
    public const int SessionEndProfiling = 110;
    public const int SessionGetModelMetadata = 111;
    public const int ModelMetadataGetProducerName = 112;
    public const int ModelMetadataGetGraphName = 113;
    public const int ModelMetadataGetDomain = 114;
    public const int ModelMetadataGetDescription = 115;
    public const int ModelMetadataLookupCustomMetadataMap = 116;
    public const int ModelMetadataGetVersion = 117;
    public const int ReleaseModelMetadata = 118;
    public const int ModelMetadataGetCustomMetadataMapKeys = 123;
    public const int GetAvailableProviders = 125;
    public const int ReleaseAvailableProviders = 126;
    public const int AddSessionConfigEntry = 130;
    public const int CreateAllocator = 131;
    public const int ReleaseAllocator = 132;
    public const int CreateAndRegisterAllocator = 144;
    public const int ReleaseArenaCfg = 157;
    public const int CreateArenaCfgV2 = 164;
    public const int SessionOptionsAppendExecutionProvider_TensorRT_V2 = 170;
    public const int CreateTensorRTProviderOptions = 171;
    public const int ReleaseTensorRTProviderOptions = 174;
    public const int UnregisterAllocator = 177;
    public const int SessionOptionsAppendExecutionProvider_CUDA_V2 = 204;
    public const int CreateCUDAProviderOptions = 205;
    public const int ReleaseCUDAProviderOptions = 208;
    public const int SessionOptionsAppendExecutionProvider = 216;
    public const int GetBuildInfoString = 254;
    public const int SessionOptionsAppendExecutionProvider_OpenVINO_V2 = 275;
    public const int GetKeyValuePairs = 298;
    public const int ReleaseKeyValuePairs = 300;
    public const int RegisterExecutionProviderLibrary = 301;
    public const int AllocatorGetStats = 319;

    /// <summary>The API version whose table has every slot above (ORT 1.30).</summary>
    public const uint ApiVersion = 30;
}
