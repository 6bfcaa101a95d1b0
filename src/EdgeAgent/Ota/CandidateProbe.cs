using System.Diagnostics;
using EdgeAgent.Ota.Store;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Configuration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Sensors;

namespace EdgeAgent.Ota;

/// <summary>
/// The child-process side of candidate validation (<c>edgeagent models validate-candidate</c>, hidden): load the
/// candidate as the pipeline would, check it fits, smoke-test it on the live input the agent handed over (or its
/// golden input), check its outputs are plausible, then time a few runs. Everything that can crash, hang or eat the
/// machine happens here, in a process the agent can kill, under an address-space limit; the agent only reads the
/// result line.
/// </summary>
internal static class CandidateProbe
{
    private const int TimedRuns = 3;

    public static CandidateProbeResult Run(InferenceRuntime runtime, PipelineOptions options, string modelDirectory, byte[]? input)
    {
        var stored = new StoredModel(Path.GetFileName(Path.GetDirectoryName(modelDirectory)!), Path.GetFileName(modelDirectory), modelDirectory);
        return options.Kind == PipelineKind.Camera
            ? Probe(new CameraModelKind(null), runtime, options, stored, input)
            : Probe(new SensorModelKind(SensorPipelineFactory.CreateFeatures(options)), runtime, options, stored, input);
    }

    private static CandidateProbeResult Probe<TModel>(IModelKind<TModel> kind, InferenceRuntime runtime, PipelineOptions options, StoredModel model, byte[]? input)
        where TModel : class, IPipelineModel
    {
        TModel candidate;
        try
        {
            candidate = kind.Load(runtime, options, model.ModelPath);
        }
        catch (ModelLoadException ex)
        {
            return CandidateProbeResult.Failed(RejectionReason.NotAModel, ex.Message);
        }
        catch (InvalidDataException ex)
        {
            // A sensor model's manifest (or features) the loader refused, or a model that does not fit the pipeline.
            var reason = ex.InnerException is ModelUnusableException { InnerException: InvalidDataException }
                ? (ex.Message.Contains("plausible", StringComparison.Ordinal) ? RejectionReason.Implausible : RejectionReason.InvalidManifest)
                : RejectionReason.SignatureMismatch;
            return CandidateProbeResult.Failed(reason, ex.Message);
        }

        try
        {
            if (input is not null && input.Length == kind.Input(candidate).Length)
            {
                input.CopyTo(kind.Input(candidate));
            }

            // The input is already in place: the smoke test copies the candidate's input onto itself.
            return Check(ModelSlot<TModel>.SmokeTest(kind, candidate, candidate, model.ManifestPath), () => candidate.Output, candidate.Run);
        }
        finally
        {
            (candidate as IDisposable)?.Dispose();
        }
    }

    private delegate ReadOnlySpan<float> OutputReader();

    private static CandidateProbeResult Check(string? smoke, OutputReader output, Action run)
    {
        if (smoke is not null)
        {
            return CandidateProbeResult.Failed(RejectionReason.SmokeTestFailed, smoke);
        }

        if (ModelPlausibility.CheckOutputs(output()) is { } implausible)
        {
            return CandidateProbeResult.Failed(RejectionReason.Implausible, implausible);
        }

        var times = new double[TimedRuns];
        for (var i = 0; i < TimedRuns; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return new CandidateProbeResult(null, null, times[TimedRuns / 2], times[^1]);
    }
}

/// <summary>What the validation child found: a rejection (reason and message), or the candidate's run times.</summary>
internal sealed record CandidateProbeResult(RejectionReason? Reason, string? Message, double MedianRunMilliseconds, double MaxRunMilliseconds)
{
    public static CandidateProbeResult Failed(RejectionReason reason, string message) => new(reason, message, 0, 0);
}
