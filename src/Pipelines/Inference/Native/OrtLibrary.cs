using System.Reflection;
using System.Runtime.InteropServices;
using EdgeAgent.Pipelines.Configuration;

namespace EdgeAgent.Pipelines.Inference.Native;

/// <summary>
/// Finds and loads ONNX Runtime once per process: <c>inference.runtimeLibrary</c>, then <c>$EDGEAGENT_ORT_LIB</c>,
/// then the copy beside the agent (<c>libonnxruntime.so</c> as the NuGet package ships it; <c>.so.1</c> from an
/// older install), then the system loader's search for the soname.
/// The one imported symbol, <c>OrtGetApiBase</c>, is bound to whatever was loaded here.
/// </summary>
internal static partial class OrtLibrary
{
    public const string EnvironmentVariable = "EDGEAGENT_ORT_LIB";
    public const string SonameV1 = "libonnxruntime.so.1";
    public const string FileName = "libonnxruntime.so";
    private const string ImportName = "edgeagent-onnxruntime";

    private static readonly object Gate = new();
    private static nint s_handle;

    static OrtLibrary()
    {
        NativeLibrary.SetDllImportResolver(typeof(OrtLibrary).Assembly, Resolve);
    }

    /// <summary>The path that was loaded, for messages and <c>models inspect</c>.</summary>
    public static string? LoadedPath { get; private set; }

    /// <summary>Loads the library (first call) or checks that the same one is asked for again.</summary>
    public static void EnsureLoaded(string? configured)
    {
        lock (Gate)
        {
            var candidates = Candidates(configured);
            if (s_handle != 0)
            {
                if (!string.IsNullOrEmpty(configured) && LoadedPath != configured && Path.GetFullPath(configured) != LoadedPath)
                {
                    throw new RuntimeUnavailableException(
                        $"ONNX Runtime is already loaded from '{LoadedPath}'; a process can use one runtime library only, not also '{configured}'.");
                }

                return;
            }

            var tried = new List<string>();
            foreach (var (path, explicitChoice) in candidates)
            {
                if (explicitChoice || path == SonameV1 || File.Exists(path))
                {
                    if (NativeLibrary.TryLoad(path, out var handle))
                    {
                        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out _))
                        {
                            NativeLibrary.Free(handle);
                            throw new RuntimeUnavailableException(
                                $"'{path}' is not an ONNX Runtime library (it has no OrtGetApiBase). Fix: point inference.runtimeLibrary or ${EnvironmentVariable} at libonnxruntime.so.");
                        }

                        s_handle = handle;
                        LoadedPath = path == SonameV1 ? SonameV1 : Path.GetFullPath(path);
                        return;
                    }

                    var reason = Describe(path);
                    if (explicitChoice)
                    {
                        throw new RuntimeUnavailableException(
                            $"ONNX Runtime library '{path}' cannot be loaded: {reason}. Fix: install ORT 1.30 for this machine ({RuntimeInformation.ProcessArchitecture}) and point inference.runtimeLibrary or ${EnvironmentVariable} at its libonnxruntime.so.");
                    }

                    tried.Add(path == SonameV1 ? $"{path} (not in the system loader's search path)" : $"{path} ({reason})");
                }
                else
                {
                    tried.Add($"{path} (not found)");
                }
            }

            throw new RuntimeUnavailableException(
                $"ONNX Runtime (libonnxruntime.so) was not found; tried {string.Join(", ", tried)}. Fix: run install.sh, or set inference.runtimeLibrary or ${EnvironmentVariable}.");
        }
    }

    [LibraryImport(ImportName)]
    public static partial nint OrtGetApiBase();

    private static IEnumerable<(string Path, bool Explicit)> Candidates(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return (configured, true);
            yield break;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            yield return (fromEnvironment, true);
            yield break;
        }

        yield return (Path.Combine(AppContext.BaseDirectory, FileName), false);
        yield return (Path.Combine(AppContext.BaseDirectory, SonameV1), false);
        yield return (SonameV1, false);
    }

    // NativeLibrary.TryLoad drops dlerror's text; the loader's reason (wrong ELF class, missing dependency) is
    // what the user needs, so load once more through Load to read it.
    private static string Describe(string path)
    {
        if (File.Exists(path) && ElfHeader.Problem(path) is { } problem)
        {
            return problem;
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return "unknown reason";
        }
        catch (DllNotFoundException ex)
        {
            // .NET wraps dlerror's text in advice about strace; the loader's own words come last.
            const string marker = "environment variable:";
            var message = ex.Message.Replace(Environment.NewLine, " ", StringComparison.Ordinal);
            var at = message.LastIndexOf(marker, StringComparison.Ordinal);
            return (at >= 0 ? message[(at + marker.Length)..] : message).Trim();
        }
        catch (BadImageFormatException ex)
        {
            return ex.Message;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != ImportName)
        {
            return 0;
        }

        if (s_handle == 0)
        {
            throw new InvalidOperationException("OrtLibrary.EnsureLoaded must run before the ONNX Runtime entry point is used.");
        }

        return s_handle;
    }
}
