using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// The process's OrtEnv, the CPU memory description tensors are created with, and (when configured) the shared
/// env-level arena every session allocates from.
/// </summary>
internal sealed unsafe class NativeEnvironment : IDisposable
{
    private readonly OrtApi _api;
    private readonly OrtMemoryInfoHandle? _arenaInfo;

    public NativeEnvironment(OrtApi api, string logId, ILogger logger)
    {
        _api = api;
        OrtLogSink.Attach(logger);

        // Warnings and up from ORT itself go to our logger rather than to stderr.
        nint env;
        fixed (byte* id = Utf8Z.From(logId))
        {
            OrtStatus.ThrowIfFailed(api.CreateEnvWithCustomLogger(OrtLogSink.Callback, 0, OrtLoggingLevel.Warning, id, &env));
        }

        Env = OrtEnvHandle.Own(env);
        nint info;
        OrtStatus.ThrowIfFailed(api.CreateCpuMemoryInfo(OrtAllocatorType.Device, OrtMemType.Default, &info));
        CpuMemory = OrtMemoryInfoHandle.Own(info);
        nint arenaInfo;
        OrtStatus.ThrowIfFailed(api.CreateCpuMemoryInfo(OrtAllocatorType.Arena, OrtMemType.Default, &arenaInfo));
        _arenaInfo = OrtMemoryInfoHandle.Own(arenaInfo);
    }

    public OrtApi Api => _api;

    public OrtEnvHandle Env { get; }

    public OrtMemoryInfoHandle CpuMemory { get; }

    public bool HasSharedArena { get; private set; }

    /// <summary>Registers one CPU arena on the env (CreateArenaCfgV2 + CreateAndRegisterAllocator).</summary>
    public void RegisterSharedArena(IReadOnlyList<KeyValuePair<string, nuint>> settings)
    {
        var keys = settings.Select(s => Marshal.StringToCoTaskMemUTF8(s.Key)).ToArray();
        try
        {
            var keyPointers = stackalloc byte*[keys.Length];
            var values = stackalloc nuint[keys.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keyPointers[i] = (byte*)keys[i];
                values[i] = settings[i].Value;
            }

            nint config;
            OrtStatus.ThrowIfFailed(_api.CreateArenaCfgV2(keyPointers, values, (nuint)keys.Length, &config));
            using var configHandle = OrtArenaCfgHandle.Own(config);

            // ORT's env may outlive a previous runtime in this process with its arena still registered.
            var stale = _api.UnregisterAllocator(Env.DangerousGetHandle(), _arenaInfo!.DangerousGetHandle());
            if (stale != 0)
            {
                OrtStatus.Consume(stale);
            }

            OrtStatus.ThrowIfFailed(_api.CreateAndRegisterAllocator(Env.DangerousGetHandle(), _arenaInfo.DangerousGetHandle(), config));
            HasSharedArena = true;
        }
        finally
        {
            foreach (var key in keys)
            {
                Marshal.FreeCoTaskMem(key);
            }
        }
    }

    /// <summary>Execution providers compiled into the loaded library (not all of them can start on this machine).</summary>
    public string[] AvailableProviders()
    {
        byte** names;
        int count;
        OrtStatus.ThrowIfFailed(_api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = OrtApi.Utf8(names[i]);
            }

            return result;
        }
        finally
        {
            OrtStatus.ThrowIfFailed(_api.ReleaseAvailableProviders(names, count));
        }
    }

    public void Dispose()
    {
        if (HasSharedArena)
        {
            var status = _api.UnregisterAllocator(Env.DangerousGetHandle(), _arenaInfo!.DangerousGetHandle());
            if (status != 0)
            {
                OrtStatus.Consume(status);
            }

            HasSharedArena = false;
        }

        _arenaInfo?.Dispose();
        CpuMemory.Dispose();
        Env.Dispose();
    }
}
