using System.Diagnostics;
using EdgeAgent.Pipelines.Inference;

namespace EdgeAgent.Pipelines.Models;

/// <summary>The update side of the slot (<see cref="IModelSlot"/>): the same steps for every kind, through <see cref="IModelKind{TModel}"/>.</summary>
public sealed partial class ModelSlot<TModel> : IModelSlot
{
    private const int WarmUpRuns = 3;

    public string Unit => _kind.Unit;

    public double RaiseThreshold => _alert.RaiseThreshold;

    public byte[] LatestInput() => _kind.Input(Model).ToArray();

    public ModelCandidate Load(InferenceRuntime runtime, PipelineOptions options, string modelPath) => new Candidate(_kind.Load(runtime, options, modelPath));

    public string? Fit(ModelCandidate candidate) => Fit(Of(candidate));

    public string? SmokeTest(ModelCandidate candidate, string manifestPath) => SmokeTest(_kind, Of(candidate), Model, manifestPath);

    /// <inheritdoc cref="IModelSlot.SmokeTest"/>
    /// <remarks>Also for a candidate outside any pipeline (the validation child): <paramref name="active"/> is then the candidate itself, its input already written.</remarks>
    public static string? SmokeTest(IModelKind<TModel> kind, TModel model, TModel active, string manifestPath)
    {
        try
        {
            var golden = Golden.Read(manifestPath);
            if (golden is not null)
            {
                var inputs = kind.InputLength(model);
                if (golden.Input.Length != inputs || golden.Output.Length != model.Output.Length)
                {
                    return $"model.json golden input/output have {golden.Input.Length}/{golden.Output.Length} values, the model takes {inputs} and yields {model.Output.Length}";
                }

                kind.WriteInput(model, golden.Input);
                model.Run();
                for (var i = 0; i < golden.Output.Length; i++)
                {
                    if (!(Math.Abs(model.Output[i] - golden.Output[i]) <= golden.Tolerance))
                    {
                        return $"golden output {i} is {model.Output[i]}, expected {golden.Output[i]} ± {golden.Tolerance}";
                    }
                }
            }
            else
            {
                // The latest input, as the pipeline wrote it for the active model (the fit was checked). The loop may be
                // writing the next one meanwhile; a torn input is still an input for a finiteness check.
                kind.Input(active).CopyTo(kind.Input(model));
            }

            for (var run = 0; run < WarmUpRuns; run++)
            {
                model.Run();
                foreach (var value in model.Output)
                {
                    if (!float.IsFinite(value))
                    {
                        return $"the smoke test gave NaN or infinite outputs on the latest {(kind.Unit == "frames" ? "frame" : "window's features")}";
                    }
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return $"the smoke test failed: {ex.Message}";
        }
    }

    public ModelShadow? AttachShadow(ModelCandidate candidate, double raiseThreshold, ServingManifest? manifest, PipelineOptions options)
    {
        var shadow = _kind.CreateShadow(Of(candidate), raiseThreshold, manifest, options);
        return AttachShadow(shadow) ? shadow : null;
    }

    public async Task<SwapOutcome?> SwapAsync(ModelCandidate candidate, ServingManifest? manifest, double? threshold, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The threshold and standardisation travel with the model: all change in the same step, on the loop thread.
        var swap = new ModelSwap<TModel>(Of(candidate), manifest is null && threshold is null ? null : () => Apply(manifest, threshold));
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!RequestSwap(swap))
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return null;
            }
        }

        try
        {
            await swap.Completion.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Not taken: withdrawn. Taken meanwhile: it serves.
            if (CancelSwap(swap))
            {
                return null;
            }
        }

        return new SwapOutcome(new Candidate(await swap.Completion.ConfigureAwait(false)), swap.Pause, swap.ScoredBefore);
    }

    private static TModel Of(ModelCandidate candidate) => (TModel)candidate.Model;

    private sealed class Candidate(TModel model) : ModelCandidate
    {
        public override IPipelineModel Model => model;
    }
}
