using System.CommandLine;
using System.Globalization;
using EdgeAgent.Configuration;
using EdgeAgent.Pipelines;
using EdgeAgent.Pipelines.Calibration;

namespace EdgeAgent.Cli;

/// <summary>
/// <c>edgeagent calibrate</c>'s sensor part: learns a detector from normal data with the pipeline's own windows and
/// features — standardisation and a PCA reconstruction baseline — and writes it as ONNX (int8 QDQ as model.onnx, float
/// beside it) with model.json (<see cref="CalibratedModel"/>).
/// </summary>
internal sealed class SensorCalibration : ICalibration
{
    private readonly Option<string> _take = new("--take") { Description = "Share of the input, from its start, that is normal (e.g. 15% or 0.15).", DefaultValueFactory = _ => "100%" };

    private readonly Option<string> _trim = new("--trim")
    {
        Description = "Share of the normal windows, the worst-fitting ones, left out before the final fit and threshold (e.g. 10% or 0.1): "
            + "events hidden in \"normal\" data would otherwise raise the threshold above themselves. Set it above the share of windows such an event touches.",
        DefaultValueFactory = _ => "10%",
    };

    public PipelineKind Kind => PipelineKind.Sensor;

    public (string Verb, string Description, string Input, string Output) Words =>
        ("calibrate", "Learn an anomaly model for a sensor pipeline from normal data.",
         "Normal data: CSV or JSON Lines with a timestamp column and the pipeline's channels.", "Directory for model.onnx (int8), model.float.onnx and model.json.");

    public double DefaultMargin => 3;

    public IEnumerable<Option> Options => [_take, _trim];

    public Func<CancellationToken, Task<string>> Prepare(ParseResult result, CalibrationTarget target)
    {
        if (!TryParseShare(result.GetValue(_take)!, out var share))
        {
            throw new AgentStartupException($"--take must be a share like 15% or 0.15, got '{result.GetValue(_take)}'", ExitCodes.Usage);
        }

        if (!TryParseShare(result.GetValue(_trim)!, out var trim, allowZero: true) || trim > 0.5)
        {
            throw new AgentStartupException($"--trim must be a share from 0% to 50%, like 10% or 0.1, got '{result.GetValue(_trim)}'", ExitCodes.Usage);
        }

        return async cancellationToken =>
        {
            var replay = PipelineArguments.WithReplay(target.Pipeline, target.Input);
            using var progress = new ProgressLine("calibrate", "samples read");
            var set = await CalibrationData.CollectAsync(replay, StderrLoggerFactory.Instance, share, progress, cancellationToken).ConfigureAwait(false);
            progress.Done();
            if (set.Rows.Count < 2 * set.FeatureNames.Count)
            {
                throw new InvalidDataException($"{set.Rows.Count} windows of normal data are too few to calibrate {set.FeatureNames.Count} features; give more data or a larger --take");
            }

            var baseline = PcaCalibrator.Fit(set.Rows, new CalibrationOptions { Quantile = 1, Margin = target.Margin, TrimFraction = trim });
            return new CalibratedModel(baseline, set, target.Name, target.Version).Write(target.Directory, target.Loaded.Options.Inference);
        };
    }

    private static bool TryParseShare(string text, out double share, bool allowZero = false)
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
