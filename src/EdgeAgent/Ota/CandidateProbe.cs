using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Camera;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;
using EdgeAgent.Pipelines.Processing;

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
        return options.Kind == PipelineKind.Camera ? RunCamera(runtime, options, stored, input) : RunSensor(runtime, options, stored, input);
    }

    private static CandidateProbeResult RunSensor(InferenceRuntime runtime, PipelineOptions options, StoredModel model, byte[]? input)
    {
        ModelBinding binding;
        try
        {
            binding = PipelineModelLoader.Load(runtime, options, SensorPipelineFactory.CreateFeatures(options), model.ModelPath);
        }
        catch (AgentStartupException ex)
        {
            var reason = ex.InnerException is ModelLoadException ? RejectionReason.NotAModel
                : ex.InnerException is InvalidDataException ? (ex.Message.Contains("plausible", StringComparison.Ordinal) ? RejectionReason.Implausible : RejectionReason.InvalidManifest)
                : RejectionReason.SignatureMismatch;
            return CandidateProbeResult.Failed(reason, ex.Message);
        }

        using var candidate = (OnnxWindowModel)binding.Model;
        if (input is not null && input.Length == candidate.Input.Length * sizeof(float))
        {
            MemoryMarshal.Cast<byte, float>(input).CopyTo(candidate.Input);
        }

        // The input is already in place: the smoke test copies the candidate's input onto itself.
        return Check(SmokeTest.Run(candidate, candidate, model.ManifestPath), () => candidate.Output, candidate.Run);
    }

    private static CandidateProbeResult RunCamera(InferenceRuntime runtime, PipelineOptions options, StoredModel model, byte[]? input)
    {
        ModelSession session;
        try
        {
            session = runtime.LoadModel(model.ModelPath, new ModelLoadOptions { IntraOpThreads = options.Model.IntraOpThreads });
        }
        catch (ModelLoadException ex)
        {
            return CandidateProbeResult.Failed(RejectionReason.NotAModel, ex.Message);
        }

        CameraModel candidate;
        try
        {
            candidate = new CameraModel(session, options.Model.Input, options.Model.Output, CameraPipelineFactory.CameraOf(options).Channels);
        }
        catch (InvalidDataException ex)
        {
            session.Dispose();
            return CandidateProbeResult.Failed(RejectionReason.SignatureMismatch, ex.Message);
        }

        using (candidate)
        {
            if (input is not null && input.Length == candidate.InputTensor.AsBytes().Length)
            {
                input.CopyTo(candidate.InputTensor.AsBytes());
            }

            return Check(CameraSmokeTest.Run(candidate, candidate, model.ManifestPath), () => candidate.Output, candidate.Run);
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
