using System.Diagnostics;
using EdgeAgent.Pipelines.Inference.Native;

namespace EdgeAgent.Pipelines.Inference;

public sealed partial class ModelSession
{
    internal static ModelSession Load(InferenceRuntime runtime, string path, ModelLoadOptions load)
    {
        var start = Stopwatch.GetTimestamp();
        var header = OnnxFileProbe.Read(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var providers = EffectiveProviders(load.ExecutionProviders ?? runtime.Options.ExecutionProviders);
        var cache = OptimizedModelCache.For(runtime, fullPath, providers);
        NativeSession native;
        List<string> used;
        var fromCache = false;
        try
        {
            if (cache is not null && File.Exists(cache.CachedPath))
            {
                try
                {
                    (native, used) = CreateSession(runtime, cache.CachedPath, load, providers, cache: null, fromCache: true);
                    fromCache = true;
                }
                catch (OrtException)
                {
                    // A damaged cache entry is rebuilt from the source model rather than failing the pipeline.
                    File.Delete(cache.CachedPath);
                    (native, used) = CreateWithFallback(runtime, fullPath, load, providers, cache);
                }
            }
            else
            {
                (native, used) = CreateWithFallback(runtime, fullPath, load, providers, cache);
            }
        }
        catch (OrtException ex)
        {
            throw ModelErrors.Classify(runtime, path, ex, "loading");
        }

        var created = Stopwatch.GetElapsedTime(start);
        try
        {
            var session = Prepare(runtime, path, native, header, load, used, fromCache, start, created);
            InferenceLog.ModelLoaded(runtime.Logger, fullPath, ElapsedMilliseconds(start), string.Join(", ", used), fromCache ? ", from the optimised-model cache" : string.Empty);
            return session;
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    private static (NativeSession, List<string>) CreateWithFallback(InferenceRuntime runtime, string path, ModelLoadOptions load, List<string> providers, OptimizedModelCache? cache)
    {
        try
        {
            return CreateSession(runtime, path, load, providers, cache, fromCache: false);
        }
        catch (OrtException ex) when (providers.Count > 1 && !ModelErrors.IsModelProblem(ex))
        {
            InferenceLog.ProviderFallback(runtime.Logger, path, string.Join(", ", providers), ex.Message);
            return CreateSession(runtime, path, load, ["cpu"], cache, fromCache: false);
        }
    }

    private static (NativeSession, List<string>) CreateSession(InferenceRuntime runtime, string path, ModelLoadOptions load, List<string> providers,
        OptimizedModelCache? cache, bool fromCache)
    {
        var options = runtime.Options;
        using var sessionOptions = new NativeSessionOptions(runtime.Environment.Api);
        sessionOptions.SetLogSeverity(OrtLoggingLevel.Warning);

        // An optimised model from the cache is loaded as is: optimising it again is the work the cache saves.
        sessionOptions.SetGraphOptimizationLevel(fromCache ? 0 : options.GraphOptimization switch
        {
            GraphOptimization.Disabled => 0,
            GraphOptimization.Basic => 1,
            GraphOptimization.Extended => 2,
            _ => 99,
        });
        sessionOptions.SetExecutionMode(options.ExecutionMode == ExecutionMode.Parallel);
        sessionOptions.SetThreads(load.IntraOpThreads ?? options.IntraOpThreads, options.InterOpThreads);
        if (runtime.Environment.HasSharedArena)
        {
            sessionOptions.AddConfigEntry("session.use_env_allocators", "1");
        }

        var profilePrefix = load.ProfilePrefix ?? (options.ProfilingDirectory.Length > 0
            ? System.IO.Path.Combine(options.ProfilingDirectory, System.IO.Path.GetFileNameWithoutExtension(path))
            : null);
        if (profilePrefix is not null)
        {
            sessionOptions.EnableProfiling(profilePrefix);
        }

        var used = new List<string>();
        foreach (var provider in providers.Where(p => !p.Equals("cpu", StringComparison.OrdinalIgnoreCase)))
        {
            if (!ExecutionProviderNames.IsKnown(provider))
            {
                runtime.WarnProviderOnce(provider, $"unknown name; known: {string.Join(", ", ExecutionProviderNames.Known)}");
                continue;
            }

            if (!runtime.AvailableProviders.Contains(ExecutionProviderNames.ProviderName(provider), StringComparer.Ordinal))
            {
                runtime.WarnProviderOnce(provider, "this ONNX Runtime build does not include it");
                continue;
            }

            var error = sessionOptions.TryAppendProvider(ExecutionProviderNames.AppendName(provider), new Dictionary<string, string>());
            if (error is not null)
            {
                runtime.WarnProviderOnce(provider, error);
                continue;
            }

            used.Add(provider.ToLowerInvariant());
        }

        used.Add("cpu");
        if (cache is not null && !fromCache)
        {
            sessionOptions.SetOptimizedModelFilePath(cache.TemporaryPath);
        }

        NativeSession native;
        try
        {
            native = NativeSession.Create(runtime.Environment, path, sessionOptions);
        }
        catch
        {
            cache?.Discard();
            throw;
        }

        cache?.Commit();
        return (native, used);
    }

    private static List<string> EffectiveProviders(IReadOnlyList<string> configured)
    {
        var list = configured.Select(p => p.Trim().ToLowerInvariant()).Where(p => p.Length > 0 && p != "cpu").Distinct().ToList();
        list.Add("cpu");
        return list;
    }
}
