using EdgeAgent.Pipelines.Camera;

namespace EdgeAgent.Ota;

/// <summary>
/// A scene model's first runs, before it goes near the live loop: the golden input/output of model.json when
/// present (model-input values, the whole image tensor), otherwise the latest frame as the pipeline preprocessed
/// it for the active model must give finite outputs. Also warms the session up.
/// </summary>
internal static class CameraSmokeTest
{
    private const int WarmUpRuns = 3;

    /// <returns>Null when it passes; otherwise what went wrong, in plain words.</returns>
    public static string? Run(CameraModel candidate, CameraModel active, string manifestPath)
    {
        try
        {
            var golden = SmokeTest.ReadGolden(manifestPath, out var expected, out var tolerance);
            var inputLength = candidate.InputTensor.ElementCount;
            if (golden is not null)
            {
                if (golden.Length != inputLength || expected!.Length != candidate.Output.Length)
                {
                    return $"model.json golden input/output have {golden.Length}/{expected!.Length} values, the model takes {inputLength} and yields {candidate.Output.Length}";
                }

                Fill(candidate, golden);
                candidate.Run();
                for (var i = 0; i < expected.Length; i++)
                {
                    if (!(Math.Abs(candidate.Output[i] - expected[i]) <= tolerance))
                    {
                        return $"golden output {i} is {candidate.Output[i]}, expected {expected[i]} ± {tolerance}";
                    }
                }
            }
            else
            {
                // The latest frame, preprocessed for the active model (same tensor: the fit was checked). The loop may
                // be writing the next frame meanwhile; a torn frame is still a frame for a finiteness check.
                active.InputTensor.AsBytes().CopyTo(candidate.InputTensor.AsBytes());
            }

            for (var run = 0; run < WarmUpRuns; run++)
            {
                candidate.Run();
                foreach (var value in candidate.Output)
                {
                    if (!float.IsFinite(value))
                    {
                        return "the smoke test gave NaN or infinite outputs on the latest frame";
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

    private static void Fill(CameraModel model, float[] values)
    {
        if (model.ByteInput)
        {
            var input = model.ByteInputSpan;
            for (var i = 0; i < values.Length; i++)
            {
                input[i] = (byte)Math.Clamp(MathF.Round(values[i]), 0, 255);
            }
        }
        else
        {
            values.CopyTo(model.FloatInput);
        }
    }
}
