using System.Security.Cryptography;
using System.Text;

namespace EdgeAgent.Pipelines.Inference;

/// <summary>
/// Where the optimised form of one model lives in inference.optimizedModelCache. The key covers everything that
/// changes ORT's output: the source file (path, size, time), the ORT version, the optimisation level and providers.
/// </summary>
internal sealed class OptimizedModelCache
{
    private OptimizedModelCache(string cachedPath)
    {
        CachedPath = cachedPath;
        TemporaryPath = cachedPath + ".tmp-" + Environment.ProcessId;
    }

    public string CachedPath { get; }

    public string TemporaryPath { get; }

    public static OptimizedModelCache? For(InferenceRuntime runtime, string sourcePath, IReadOnlyList<string> providers)
    {
        var directory = runtime.Options.OptimizedModelCache;
        if (string.IsNullOrWhiteSpace(directory) || runtime.Options.GraphOptimization == GraphOptimization.Disabled)
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        var source = new FileInfo(sourcePath);
        var key = $"{source.FullName}|{source.Length}|{source.LastWriteTimeUtc.Ticks}|{runtime.Version}|{runtime.Options.GraphOptimization}|{string.Join(',', providers)}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
        return new OptimizedModelCache(Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(sourcePath)}.{hash}.optimized.onnx"));
    }

    /// <summary>Publishes what ORT wrote, atomically, so a crash never leaves a half-written cache entry.</summary>
    public void Commit()
    {
        if (File.Exists(TemporaryPath))
        {
            File.Move(TemporaryPath, CachedPath, overwrite: true);
        }
    }

    public void Discard()
    {
        if (File.Exists(TemporaryPath))
        {
            File.Delete(TemporaryPath);
        }
    }
}
