using System.Runtime.InteropServices;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// The OrtApi function table, read once. Every entry is a <c>delegate* unmanaged</c> named after its C member;
/// the pointer-typed parameters are the C handles (OrtEnv*, OrtSession*, ...) as <see cref="nint"/>.
/// </summary>
internal sealed unsafe partial class OrtApi
{
    private static readonly object Gate = new();
    private static OrtApi? s_instance;

    private OrtApi(nint* table, string version)
    {
        Version = version;
        Bind(table);
    }

    public static OrtApi Instance => s_instance ?? throw new InvalidOperationException("ONNX Runtime is not loaded yet.");

    public string Version { get; }

    public string BuildInfo => Utf8(GetBuildInfoString());

    /// <summary>Loads the library and the API table, and checks that the table is the one the slots were counted from.</summary>
    public static OrtApi Load(string? configuredPath)
    {
        lock (Gate)
        {
            if (s_instance is not null)
            {
                OrtLibrary.EnsureLoaded(configuredPath);
                return s_instance;
            }

            OrtLibrary.EnsureLoaded(configuredPath);
            var apiBase = (nint*)OrtLibrary.OrtGetApiBase();
            if (apiBase is null)
            {
                throw new RuntimeUnavailableException($"'{OrtLibrary.LoadedPath}': OrtGetApiBase returned nothing; the library is damaged.");
            }

            // struct OrtApiBase { GetApi; GetVersionString; }
            var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
            var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
            var version = Utf8(getVersionString());
            var table = getApi(OrtSlot.ApiVersion);
            if (table is null)
            {
                throw new RuntimeUnavailableException(
                    $"ONNX Runtime {version} at '{OrtLibrary.LoadedPath}' is too old: the agent needs API version {OrtSlot.ApiVersion} (ORT 1.30 or newer). Fix: install ORT 1.30+ and point inference.runtimeLibrary at it.");
            }

            var api = new OrtApi(table, version);
            api.SelfCheck();
            s_instance = api;
            return api;
        }
    }

    /// <summary>Entries from the start, middle and end of the table must behave as their names say.</summary>
    internal void SelfCheck()
    {
        const string probe = "edgeagent self-check";
        var bytes = System.Text.Encoding.UTF8.GetBytes(probe + "\0");
        nint status;
        fixed (byte* p = bytes)
        {
            status = CreateStatus((int)OrtErrorCode.NotImplemented, p);
        }

        var code = GetErrorCode(status);
        var message = Utf8(GetErrorMessage(status));
        ReleaseStatus(status);
        nint allocator;
        var allocatorStatus = GetAllocatorWithDefaultOptions(&allocator);
        var buildInfo = Utf8(GetBuildInfoString());
        if (code != (int)OrtErrorCode.NotImplemented || message != probe || allocatorStatus != 0 || allocator == 0 ||
            !buildInfo.Contains("ORT Build Info", StringComparison.Ordinal))
        {
            throw new RuntimeUnavailableException(
                $"ONNX Runtime {Version} at '{OrtLibrary.LoadedPath}' does not lay out its API table as ORT 1.30 does (self-check failed: code {code}, message '{message}', build info '{buildInfo}'). Use an official ORT 1.30+ build.");
        }
    }

    public static string Utf8(byte* text) => text is null ? string.Empty : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
}
