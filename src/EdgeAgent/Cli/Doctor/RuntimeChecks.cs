using System.Globalization;
using EdgeAgent.Configuration;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Cli.Doctor;

/// <summary>ONNX Runtime loads (version, providers, arena budget vs free memory), and every enabled pipeline's model loads and fits.</summary>
internal static class RuntimeChecks
{
    private const long MiB = 1024 * 1024;

    public static IEnumerable<DoctorCheck> Run(AgentOptions options)
    {
        InferenceRuntime runtime;
        try
        {
            runtime = InferenceRuntime.Create(options.Inference);
        }
        catch (Exception ex) when (ex is StartupException or DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            return
            [
                DoctorCheck.Error("onnxruntime", $"cannot be loaded: {ex.Message}",
                    "run ./install.sh (it fetches libonnxruntime.so.1 for this architecture), or set inference.runtimeLibrary or EDGEAGENT_ORT_LIB to the library"),
            ];
        }

        using (runtime)
        {
            var checks = new List<DoctorCheck> { Runtime(runtime, options.Inference) };
            foreach (var pipeline in options.Pipelines.Where(p => p.Enabled))
            {
                checks.Add(Model(runtime, options, pipeline));
            }

            return checks;
        }
    }

    private static DoctorCheck Runtime(InferenceRuntime runtime, InferenceOptions options)
    {
        var providers = string.Join(", ", runtime.AvailableProviders);
        var reason = $"{runtime.Version} from {runtime.LibraryPath}; providers {providers}";
        var missing = options.ExecutionProviders.Where(p => !runtime.AvailableProviders.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            return DoctorCheck.Warning("onnxruntime", $"{reason}; configured provider(s) {string.Join(", ", missing)} not in this build (the CPU provider is used)",
                "install an ONNX Runtime build with those providers, or remove them from inference.executionProviders");
        }

        if (runtime.ArenaBudgetBytes > 0 && AvailableMemoryBytes() is { } available)
        {
            var budget = string.Create(CultureInfo.InvariantCulture, $"arena budget {runtime.ArenaBudgetBytes / MiB} MiB vs {available / MiB} MiB available");
            if (runtime.ArenaBudgetBytes > available)
            {
                return DoctorCheck.Error("onnxruntime", $"{reason}; {budget}: the models could be killed for memory before the cap applies",
                    "lower inference.arena.maxMegabytes below the memory available, or stop what else uses it");
            }

            if (runtime.ArenaBudgetBytes > available / 2)
            {
                return DoctorCheck.Warning("onnxruntime", $"{reason}; {budget} (more than half)",
                    "lower inference.arena.maxMegabytes ('edgeagent models bench' shows what a model needs)");
            }

            return DoctorCheck.Ok("onnxruntime", $"{reason}; {budget}");
        }

        return DoctorCheck.Ok("onnxruntime", reason);
    }

    private static DoctorCheck Model(InferenceRuntime runtime, AgentOptions options, PipelineOptions pipeline)
    {
        var name = "model " + pipeline.Name;
        string? path;
        try
        {
            // The file the agent would load (the store read, never repaired, here).
            var store = ModelStore.OpenReadOnly(options.StateDirectory);
            path = ModelResolver.ModelPath(store, pipeline);
            if (store?.Recovered is { } unreadable)
            {
                return DoctorCheck.Error(name, unreadable, "'edgeagent models status' shows the store; 'edgeagent models rollback' or reinstalling the version repairs it");
            }
        }
        catch (ModelUnusableException ex)
        {
            return DoctorCheck.Error(name, ex.Message, "point model.path at the model file, or install a version with 'edgeagent models install'");
        }

        // As at start-up: a sensor pipeline without a model scores its features with the built-in detector; a camera needs one.
        if (path is null)
        {
            return pipeline.Kind == PipelineKind.Sensor
                ? DoctorCheck.Ok(name, "no model configured or deployed: the built-in detector scores the features")
                : DoctorCheck.Error(name, "no model configured", $"set pipelines[{options.Pipelines.IndexOf(pipeline)}].model.path, or calibrate one with 'edgeagent calibrate-camera'");
        }

        try
        {
            if (pipeline.Kind == PipelineKind.Camera)
            {
                using var camera = CameraPipelineFactory.Create(pipeline, options.DeviceId, runtime, path, DiscardQueue.Instance);
                return DoctorCheck.Ok(name, $"{path} loads and fits the camera's {camera.Model.Width}x{camera.Model.Height} input");
            }

            var features = SensorPipelineFactory.CreateFeatures(pipeline);
            var binding = PipelineModelLoader.Load(runtime, pipeline, features, path);
            (binding.Model as IDisposable)?.Dispose();
            var threshold = pipeline.Alert.RaiseThreshold ?? binding.Threshold;
            return DoctorCheck.Ok(name, string.Create(CultureInfo.InvariantCulture,
                $"{path} loads and fits the {features.Length} features; raise threshold {threshold:0.####}"));
        }
        catch (StartupException ex)
        {
            return DoctorCheck.Error(name, ex.Message, "recalibrate the model for this pipeline ('edgeagent calibrate'), or fix the pipeline's features or model.path");
        }
    }

    /// <summary>MemAvailable from /proc/meminfo; null where there is none.</summary>
    internal static long? AvailableMemoryBytes()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var kib = line["MemAvailable:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
