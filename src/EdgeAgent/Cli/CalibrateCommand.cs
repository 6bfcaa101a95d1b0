using System.CommandLine;
using System.Globalization;
using EdgeAgent.Pipelines.Calibration;
using EdgeAgent.Pipelines.Inference;
using EdgeAgent.Pipelines.Models;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent calibrate</c>: learns a detector from normal data with the pipeline's own windows and features —
/// standardisation and a PCA reconstruction baseline — writes it as ONNX (int8 QDQ as model.onnx, float beside it),
/// sets the threshold from the normal scores, and writes model.json. How a user without ML tooling gets a model.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var arguments = new PipelineArguments();
        var input = new Option<string>("--input", "-i") { Description = "Normal data: CSV or JSON Lines with a timestamp column and the pipeline's channels.", Required = true };
        var take = new Option<string>("--take") { Description = "Share of the input, from its start, that is normal (e.g. 15% or 0.15).", DefaultValueFactory = _ => "100%" };
        var output = new Option<string>("--out", "-o") { Description = "Directory for model.onnx (int8), model.float.onnx and model.json.", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name in model.json. Default: the pipeline's name." };
        var version = new Option<string>("--version") { Description = "Model version in model.json.", DefaultValueFactory = _ => "1.0.0" };
        var margin = new Option<double>("--margin") { Description = "Threshold = the highest normal score times this.", DefaultValueFactory = _ => 3 };
        var trim = new Option<string>("--trim")
        {
            Description = "Share of the normal windows, the worst-fitting ones, left out before the final fit and threshold (e.g. 10% or 0.1): "
                + "events hidden in \"normal\" data would otherwise raise the threshold above themselves. Set it above the share of windows such an event touches.",
            DefaultValueFactory = _ => "10%",
        };
        var command = new Command("calibrate", "Learn an anomaly model for a sensor pipeline from normal data.") { input, take, output, name, version, margin, trim };
        arguments.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (loaded, pipeline, code) = arguments.Resolve(result);
            if (loaded is null || pipeline is null)
            {
                return code;
            }

            if (!TryParseShare(result.GetValue(take)!, out var share))
            {
                Console.Error.WriteLine($"edgeagent: --take must be a share like 15% or 0.15, got '{result.GetValue(take)}'");
                return ExitCodes.Usage;
            }

            if (!TryParseShare(result.GetValue(trim)!, out var trimShare, allowZero: true) || trimShare > 0.5)
            {
                Console.Error.WriteLine($"edgeagent: --trim must be a share from 0% to 50%, like 10% or 0.1, got '{result.GetValue(trim)}'");
                return ExitCodes.Usage;
            }

            var file = result.GetValue(input)!;
            if (!PipelineArguments.InputExists(file))
            {
                return ExitCodes.DataError;
            }

            return await PipelineArguments.RunAsync(async () =>
            {
                var replay = PipelineArguments.WithReplay(pipeline, file);
                using var progress = new ProgressLine("calibrate", "samples read");
                var set = await CalibrationData.CollectAsync(replay, StderrLoggerFactory.Instance, share, progress, cancellationToken).ConfigureAwait(false);
                progress.Done();
                if (set.Rows.Count < 2 * set.FeatureNames.Count)
                {
                    Console.Error.WriteLine($"edgeagent: {set.Rows.Count} windows of normal data are too few to calibrate {set.FeatureNames.Count} features; give more data or a larger --take");
                    return ExitCodes.DataError;
                }

                var baseline = PcaCalibrator.Fit(set.Rows, new CalibrationOptions { Quantile = 1, Margin = result.GetValue(margin), TrimFraction = trimShare });
                var model = new CalibratedModel(baseline, set, result.GetValue(name) ?? pipeline.Name, result.GetValue(version)!);
                var report = model.Write(result.GetValue(output)!, loaded.Options.Inference);
                Console.Out.WriteLine(report);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    internal static bool TryParseShare(string text, out double share, bool allowZero = false)
    {
        var percent = text.EndsWith('%');
        var ok = double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out share);
        if (percent)
        {
            share /= 100;
        }

        return ok && (share > 0 || (allowZero && share == 0)) && share <= 1;
    }
}
